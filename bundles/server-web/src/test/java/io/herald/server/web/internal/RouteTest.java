package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The route matcher, on Actionhero's examples (__tests__/servers/web/routes). */
class RouteTest {

    private static Route route(String path) {
        return new Route("get", path, "action", 0, false);
    }

    private static List<String> path(String path) {
        return WebSettings.segments(path);
    }

    @Test
    void literal_segments_match_ignoring_case_and_all_segments_must_match() {
        Route route = route("/thing/stuff");

        assertEquals(Map.of(), route.match(path("/Thing/STUFF")));
        assertNull(route.match(path("/thing")));
        assertNull(route.match(path("/thing/stuff/more")));
        assertNull(route.match(path("/thing/other")));
    }

    @Test
    void variables_take_whole_segments() {
        assertEquals(Map.of("key", "log_me-in.com$123.", "value", "v"),
                route("/c/:key/:value").match(path("/c/log_me-in.com$123./v")));
    }

    @Test
    void a_constraint_must_be_found_in_the_segment() {
        Route route = route("/login/:userID(^(\\d{3}|admin)$)");

        assertEquals(Map.of("userID", "123"), route.match(path("/login/123")));
        assertEquals(Map.of("userID", "admin"), route.match(path("/login/admin")));
        assertNull(route.match(path("/login/1234")));
        assertNull(route.match(path("/login/bob")));
    }

    @Test
    void a_literal_prefix_comes_before_the_variable() {
        Route route = route("/v:apiVersion/login");

        assertEquals(Map.of("apiVersion", "2"), route.match(path("/v2/login")));
        assertNull(route.match(path("/2/login")));
        assertNull(route.match(path("/v/login")));
        assertEquals(Map.of("key", "k", "path", "deep"), route("/a/:key/__:path(^.*$)").match(path("/a/k/__deep")));
    }

    @Test
    void a_trailing_route_joins_the_remaining_segments_into_its_last_variable() {
        Route route = new Route("get", "/a/wild/:key/:path(^.*$)", "action", 1, true);

        assertEquals(Map.of("key", "theKey", "path", "and/some/more/path"),
                route.match(path("/a/wild/theKey/and/some/more/path")));
        assertEquals(Map.of("key", "theKey", "path", "one"), route.match(path("/a/wild/theKey/one")));
        assertNull(route.match(path("/a/wild/theKey")));
    }

    @Test
    void the_root_route_matches_only_the_empty_path() {
        assertEquals(Map.of(), route("/").match(List.of()));
        assertNull(route("/").match(path("/x")));
    }

    @Test
    void documentation_shows_variables_without_their_constraints() {
        assertEquals("/users/:id/v:apiVersion", route("/users/:id(^\\d+$)/v:apiVersion").documentedPath());
        assertEquals("/", route("/").documentedPath());
    }

    @Test
    void broken_patterns_are_refused_when_compiled() {
        assertEquals("\":(x)\" has a variable without a name",
                assertThrows(IllegalArgumentException.class, () -> route("/:(x)")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> route("/:id(^\\d+$"));
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> route("/:id([a-)"));
        assertEquals("\":id([a-)\": the constraint is not a valid regular expression: Illegal character range",
                invalid.getMessage());
    }

    @Test
    void route_sets_try_the_file_in_order_then_the_automatic_route() {
        RouteSet routes = new RouteSet(List.of(
                new Route("get", "/users", "usersList", 0, false),
                new Route("all", "/user/:userID", "user", 0, false),
                new Route("get", "/user/:userID", "neverReached", 0, false)));

        assertEquals(new RouteMatch("usersList", 0, Map.of()), routes.match(RouteSet.Verb.GET, path("/users")));
        assertEquals(new RouteMatch("user", 0, Map.of("userID", "1")), routes.match(RouteSet.Verb.DELETE, path("/user/1")));
        assertEquals(new RouteMatch("user", 0, Map.of("userID", "1")), routes.match(RouteSet.Verb.GET, path("/user/1")));
        assertEquals(new RouteMatch("status", 0, Map.of()), routes.match(RouteSet.Verb.POST, path("/status")));
        assertEquals(new RouteMatch("usersList", 0, Map.of()), routes.match(RouteSet.Verb.HEAD, path("/users")));
        assertNull(routes.match(RouteSet.Verb.PUT, path("/status")));
        assertNull(routes.match(RouteSet.Verb.GET, path("/no/route")));
        assertNull(routes.match(RouteSet.Verb.GET, List.of()));
    }
}
