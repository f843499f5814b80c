package net.ttddyy.observation.tracing;

import io.micrometer.observation.Observation;

/**
 * Stands for datasource-micrometer's query context (not a dependency of the project) in the
 * tests of which observations Sentry records.
 */
public class QueryContext extends Observation.Context {

}
