package io.herald.server.web.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one version of the routes file, by verb, in the file's order, followed by the automatic routes
 * ({@code GET|POST /:action}). Routes file first, automatic last: Actionhero's {@code loadRoutes} registers the
 * configured routes before its {@code automaticRoutes}, and the first match wins.
 */
final class RouteSet {

    /** The verbs a route can name; {@code all} stands for every one of them. */
    enum Verb { GET, POST, PUT, PATCH, DELETE, HEAD }

    static final RouteSet EMPTY = new RouteSet(List.of());

    private final List<Route> declared;
    private final Map<Verb, Route[]> byVerb = new EnumMap<>(Verb.class);

    /** @param declared the routes in file order; {@code all} routes once each */
    RouteSet(List<Route> declared) {
        this.declared = List.copyOf(declared);
        for (Verb verb : Verb.values()) {
            List<Route> routes = new ArrayList<>();
            for (Route route : declared) {
                if (route.method().equals("all") || route.method().equalsIgnoreCase(verb.name())) {
                    routes.add(route);
                }
            }
            byVerb.put(verb, routes.toArray(new Route[0]));
        }
    }

    List<Route> declared() {
        return declared;
    }

    boolean isEmpty() {
        return declared.isEmpty();
    }

    /**
     * Finds the action for a request.
     *
     * @param segments the decoded path segments after urlPathForActions
     * @return the match, or {@code null} when no route names an action
     */
    RouteMatch match(Verb verb, List<String> segments) {
        RouteMatch match = matchVerb(verb, segments);
        if (match == null && verb == Verb.HEAD) {
            // HEAD is GET without the body (RFC 9110): it falls back to the GET routes.
            match = matchVerb(Verb.GET, segments);
        }
        if (match == null && segments.size() == 1 && verb != Verb.PUT && verb != Verb.PATCH && verb != Verb.DELETE) {
            // The automatic route: GET and POST <urlPathForActions>/<action> (Actionhero's automaticRoutes).
            match = new RouteMatch(segments.get(0), 0, Map.of());
        }
        return match;
    }

    private RouteMatch matchVerb(Verb verb, List<String> segments) {
        for (Route route : byVerb.get(verb)) {
            Map<String, String> variables = route.match(segments);
            if (variables != null) {
                return new RouteMatch(route.action(), route.apiVersion(), variables);
            }
        }
        return null;
    }
}
