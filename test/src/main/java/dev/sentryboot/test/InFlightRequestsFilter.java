package dev.sentryboot.test;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Outermost filter: a request is in flight from its first dispatch until its last one (the
 * async dispatch of an async request) has left the filter chain.
 */
final class InFlightRequestsFilter implements Filter {

	private static final String END = InFlightRequestsFilter.class.getName() + ".end";

	private final InFlightRequests requests;

	InFlightRequestsFilter(InFlightRequests requests) {
		this.requests = requests;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		Runnable end = endOf(request);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new Completion(end));
			}
			else {
				end.run();
			}
		}
	}

	private Runnable endOf(ServletRequest request) {
		if (request.getDispatcherType() != DispatcherType.REQUEST && request.getAttribute(END) instanceof Runnable end) {
			return end;
		}
		Runnable end = this.requests.start();
		request.setAttribute(END, end);
		return end;
	}

	/** Ends the request when the container completes it without another dispatch. */
	private record Completion(Runnable end) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.end.run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			// The container dispatches again or completes: either ends the request.
		}

		@Override
		public void onError(AsyncEvent event) {
			// As for a timeout.
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
