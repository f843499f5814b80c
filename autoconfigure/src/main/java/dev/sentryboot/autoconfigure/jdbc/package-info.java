/**
 * Database queries as breadcrumbs and spans: every DataSource bean is wrapped once by a
 * datasource-proxy whose listener reports each statement, connection and commit to the Sentry
 * scopes of the calling thread.
 */
@NullMarked
package dev.sentryboot.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
