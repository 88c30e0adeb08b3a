package io.herald.server.web.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SymlinkAllowedResourceAliasChecker;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.herald.api.spi.HeraldError;

/**
 * Static files (Actionhero's flat files from {@code public/}), served by Jetty's resource machinery: a
 * {@link ContextHandler} for urlPathForFiles, and one for the root when {@code rootEndpointType = file} (so {@code /}
 * serves {@code index.html}, as in Actionhero), each over the static directories combined in order (the first that
 * has a path serves it) with a {@link ResourceHandler}: content types, {@code ETag} and {@code Last-Modified} with
 * 304, {@code Range}, {@code index.html} for a directory, Actionhero's {@code Cache-Control}.
 *
 * <p>No path leaves the directories: Jetty resolves the path canonically and refuses ambiguous encodings
 * ({@code %2e%2e}, {@code %2f}) with 400 before any handler runs; a path through a symbolic link is an alias the
 * context refuses unless {@code followSymlinks} (then Jetty's {@link SymlinkAllowedResourceAliasChecker}); a control
 * character in the decoded path is 400 here. A path with no file (a directory without {@code index.html} too) falls
 * through to the next handler, whose answer is the JSON {@code NOT_FOUND}.
 */
final class StaticFiles {

    private static final Logger LOG = LoggerFactory.getLogger(StaticFiles.class);
    private static final String DIRECTORY_STYLESHEET = "/jetty-dir.css";

    private StaticFiles() {
    }

    /**
     * The handlers serving the settings' files, not started; none when no static directory exists.
     *
     * @param headers the configured response headers, sent with files as with JSON
     */
    static List<Handler> handlers(StaticFilesSettings settings, List<WebSettings.Header> headers, ResponseWriter writer) {
        List<Resource> roots = new ArrayList<>();
        for (Path directory : settings.directories()) {
            if (Files.isDirectory(directory)) {
                roots.add(ResourceFactory.root().newResource(directory));
            } else {
                LOG.info("web server: static directory {} does not exist; files are served from the others", directory);
            }
        }
        if (roots.isEmpty()) {
            return List.of();
        }
        Resource base = ResourceFactory.combine(roots);
        HttpField[] configured = headers.stream().map(h -> new PreEncodedHttpField(h.name(), h.value()))
                .toArray(HttpField[]::new);
        List<Handler> handlers = new ArrayList<>();
        handlers.add(context(settings.urlPathPrefix().isEmpty() ? "/" : settings.urlPathPrefix(), base, settings,
                configured, writer));
        if (settings.atRoot() && !settings.urlPathPrefix().isEmpty()) {
            handlers.add(context("/", base, settings, configured, writer));
        }
        return handlers;
    }

    private static ContextHandler context(String path, Resource base, StaticFilesSettings settings, HttpField[] headers,
            ResponseWriter writer) {
        ContextHandler context = new ContextHandler(path);
        context.setBaseResource(base);
        // Jetty's default alias checks follow symbolic links: none unless the operator allows them.
        context.clearAliasChecks();
        if (settings.followSymlinks()) {
            context.addAliasCheck(new SymlinkAllowedResourceAliasChecker(context));
        }
        context.setErrorHandler(new FileErrors(writer));
        FileHandler files = new FileHandler(headers, writer);
        files.setDirAllowed(false);
        files.setWelcomeFiles("index.html");
        files.setWelcomeMode(ResourceService.WelcomeMode.SERVE);
        files.setEtags(true);
        files.setAcceptRanges(true);
        files.setCacheControl(settings.cacheControl());
        context.setHandler(files);
        return context;
    }

    /** Jetty's ResourceHandler with the configured headers and a check for control characters in the path. */
    private static final class FileHandler extends ResourceHandler {

        private final HttpField[] headers;
        private final ResponseWriter writer;

        FileHandler(HttpField[] headers, ResponseWriter writer) {
            this.headers = headers;
            this.writer = writer;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c < ' ' || c == 127) {
                    writer.writeError(request, response, callback, HeraldError.MALFORMED_REQUEST.status(),
                            HeraldError.MALFORMED_REQUEST, "the path holds a control character");
                    return true;
                }
            }
            if (path.endsWith(DIRECTORY_STYLESHEET)) {
                // Jetty serves the stylesheet of its directory listings at such paths; there are no listings here.
                return false;
            }
            for (HttpField header : headers) {
                response.getHeaders().put(header);
            }
            return super.handle(request, response, callback);
        }
    }

    /**
     * Errors Jetty's ResourceService writes itself: a directory without {@code index.html} (403 there) is the
     * JSON NOT_FOUND like any path with nothing to serve; the rest (412, 416, ...) go to the server's JSON error
     * handler.
     */
    private static final class FileErrors implements Request.Handler {

        private final ResponseWriter writer;

        FileErrors(ResponseWriter writer) {
            this.writer = writer;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (response.getStatus() == 403 || response.getStatus() == 404) {
                writer.writeError(request, response, callback, HeraldError.NOT_FOUND.status(), HeraldError.NOT_FOUND,
                        request.getHttpURI().getPath());
                return true;
            }
            return request.getConnectionMetaData().getConnector().getServer().getErrorHandler()
                    .handle(request, response, callback);
        }
    }
}
