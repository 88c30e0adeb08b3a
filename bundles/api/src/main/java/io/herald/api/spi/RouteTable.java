package io.herald.api.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The routes a transport serves, so documentation (the {@code swagger} action) can show them.
 *
 * @since 1.0
 */
@ConsumerType
public interface RouteTable {

    List<Route> routes();

    /**
     * @param method HTTP method in upper case, or {@code ALL}
     * @param path the path pattern, with {@code :name} variables, e.g. {@code /api/users/:id}
     * @param action the action it calls
     * @param apiVersion the version it pins, or 0 for the latest
     */
    record Route(String method, String path, String action, int apiVersion) {
    }
}
