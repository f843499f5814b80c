package dev.sentryboot.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one captured transaction. Each failure shows the transaction and what it holds.
 */
public final class CapturedTransactionAssert extends AbstractAssert<CapturedTransactionAssert, CapturedTransaction> {

	CapturedTransactionAssert(CapturedTransaction transaction) {
		super(transaction, CapturedTransactionAssert.class);
	}

	public CapturedTransactionAssert isNamed(String name) {
		isNotNull();
		if (!Objects.equals(name, this.actual.name())) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto be named:%n  %s%nbut it was named:%n  %s", this.actual,
					name, this.actual.name());
		}
		return this;
	}

	/** Verifies the operation of the transaction's root span, such as {@code http.server}. */
	public CapturedTransactionAssert hasOp(String op) {
		isNotNull();
		if (!Objects.equals(op, this.actual.op())) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto have op:%n  %s%nbut it had:%n  %s", this.actual, op,
					this.actual.op());
		}
		return this;
	}

	/** Verifies the status of the transaction's root span, such as {@code ok} or {@code internal_error}. */
	public CapturedTransactionAssert hasStatus(String status) {
		isNotNull();
		if (!Objects.equals(status, this.actual.status())) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto have status:%n  %s%nbut it had:%n  %s", this.actual,
					status, this.actual.status());
		}
		return this;
	}

	public CapturedTransactionAssert hasTag(String name, String value) {
		isNotNull();
		Map<String, String> tags = this.actual.tags();
		if (!value.equals(tags.get(name))) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto have tag:%n  %s=%s%nbut its tags were:%n  %s",
					this.actual, name, value, tags);
		}
		return this;
	}

	/** Verifies that a span has the given operation, such as {@code db.sql.query}. */
	public CapturedTransactionAssert hasSpanWithOp(String op) {
		isNotNull();
		if (this.actual.spans().stream().noneMatch((span) -> op.equals(span.op()))) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto have a span with op:%n  %s%nbut its spans were:%n  %s",
					this.actual, op, describeSpans());
		}
		return this;
	}

	/** Verifies that a span has the given operation and a description containing the given text. */
	public CapturedTransactionAssert hasSpan(String op, String descriptionContaining) {
		isNotNull();
		if (this.actual.spans()
			.stream()
			.noneMatch((span) -> op.equals(span.op()) && span.description() != null
					&& span.description().contains(descriptionContaining))) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nto have a span %s containing:%n  %s%nbut its spans were:%n  %s",
					this.actual, op, descriptionContaining, describeSpans());
		}
		return this;
	}

	public CapturedTransactionAssert doesNotHaveSpanWithOp(String op) {
		isNotNull();
		if (this.actual.spans().stream().anyMatch((span) -> op.equals(span.op()))) {
			throw failure("%nExpecting Sentry transaction:%n  %s%nnot to have a span with op:%n  %s%nbut its spans were:%n  %s",
					this.actual, op, describeSpans());
		}
		return this;
	}

	private String describeSpans() {
		List<CapturedSpan> spans = this.actual.spans();
		if (spans.isEmpty()) {
			return "none";
		}
		StringBuilder text = new StringBuilder();
		for (CapturedSpan span : spans) {
			text.append((text.length() > 0) ? String.format("%n  ") : "").append(span);
		}
		return text.toString();
	}

}
