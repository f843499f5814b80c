/**
 * The scrubber: the last step before anything reaches the transport, removing secrets and
 * personal data from events, transactions and breadcrumbs.
 */
@NullMarked
package dev.sentryboot.autoconfigure.scrub;

import org.jspecify.annotations.NullMarked;
