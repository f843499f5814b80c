/**
 * Performance monitoring: web requests as transactions (continuing incoming traces, sampled
 * before anything is built), and trace propagation with a child span for outgoing calls made
 * through RestClient, RestTemplate and WebClient.
 */
@NullMarked
package dev.sentryboot.autoconfigure.tracing;

import org.jspecify.annotations.NullMarked;
