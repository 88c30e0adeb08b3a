package io.herald.server.web.internal;

import java.util.Map;

/**
 * The action a request path names.
 *
 * @param action the action to run
 * @param apiVersion the version the route pins, or 0
 * @param variables the path variables, to merge into the params
 */
record RouteMatch(String action, int apiVersion, Map<String, String> variables) {
}
