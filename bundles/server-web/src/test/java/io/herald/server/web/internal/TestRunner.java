package io.herald.server.web.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.herald.api.ActionDescriptor;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.ResponseCookie;
import io.herald.api.UploadedFile;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;

/**
 * A small real {@link ActionRunner} standing in for the core. Its actions:
 * <ul>
 * <li>{@code echo}: answers {@code {"params": {...}, "version": n, "connection": {...}}};</li>
 * <li>{@code status}: answers with the status in the {@code status} param and an {@code error};</li>
 * <li>{@code headers}: sets the header {@code X-Test: yes} and overrides {@code X-Powered-By};</li>
 * <li>{@code slow}: waits until {@link #releaseSlow()} (requests in flight, for the graceful-stop tests);</li>
 * <li>{@code upload}: answers what it sees of each uploaded file (name, size, type, content, whether it exists);</li>
 * <li>{@code throw}: breaks the runner's contract by throwing;</li>
 * <li>anything else: 404 unknown action, as the core answers.</li>
 * </ul>
 */
final class TestRunner implements ActionRunner {

    /** A permit for each {@code slow} call that has started. */
    final Semaphore slowStarted = new Semaphore(0);
    private final CountDownLatch slowReleased = new CountDownLatch(1);
    volatile ActionRequest lastRequest;
    /** The paths of the files the upload action saw. */
    final List<Path> uploadedPaths = new java.util.concurrent.CopyOnWriteArrayList<>();

    void releaseSlow() {
        slowReleased.countDown();
    }

    @Override
    public ActionResult run(ActionRequest request) {
        lastRequest = request;
        Map<String, Object> params = request.params();
        String name = request.action() != null ? request.action() : (String) params.get("action");
        int version = request.apiVersion() != null ? request.apiVersion()
                : params.get("apiVersion") != null ? Integer.parseInt(params.get("apiVersion").toString()) : 1;
        Map<String, Object> response = new LinkedHashMap<>();
        if (name == null) {
            return unknown(response);
        }
        switch (name) {
            case "echo" -> {
                response.put("params", new LinkedHashMap<>(params));
                response.put("version", version);
                Map<String, Object> connection = new LinkedHashMap<>();
                connection.put("id", request.connection().id());
                connection.put("type", request.connection().type());
                connection.put("remoteIp", request.connection().remoteIp());
                connection.put("remotePort", request.connection().remotePort());
                connection.put("fingerprint", request.connection().fingerprint());
                response.put("connection", connection);
                return new ActionResult(Outcome.COMPLETE, 200, name, version, response, Map.of(), 1);
            }
            case "status" -> {
                int status = Integer.parseInt(params.get("status").toString());
                response.put("error", "asked for " + status);
                return new ActionResult(Outcome.GENERIC_ERROR, status, name, 1, response, Map.of(), 1);
            }
            case "headers" -> {
                response.put("ok", true);
                return new ActionResult(Outcome.COMPLETE, 201, name, 1, response,
                        Map.of("X-Test", "yes", "X-Powered-By", "the action"), 1);
            }
            case "slow" -> {
                slowStarted.release();
                try {
                    if (!slowReleased.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the slow action was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                response.put("slow", "done");
                return new ActionResult(Outcome.COMPLETE, 200, name, 1, response, Map.of(), 1);
            }
            case "metadata" -> {
                response.put("authorization", request.metadata().header("authorization"));
                response.put("forwarded", request.metadata().headers("X-Multi"));
                response.put("cookies", request.metadata().cookies());
                response.put("secure", request.metadata().secure());
                return new ActionResult(Outcome.COMPLETE, 200, name, 1, response, Map.of(), 1, true,
                        List.of(ResponseCookie.of("session", "s3cr3t"), ResponseCookie.of("theme", "dark").withMaxAge(60)));
            }
            case "document" -> {
                response.put("openapi", "3.0.3");
                return new ActionResult(Outcome.COMPLETE, 200, name, 1, response, Map.of(), 1, false);
            }
            case "upload" -> {
                // What an action sees of each uploaded file while it runs.
                Map<String, Object> files = new LinkedHashMap<>();
                for (Map.Entry<String, Object> param : params.entrySet()) {
                    if (param.getValue() instanceof UploadedFile file) {
                        Map<String, Object> seen = new LinkedHashMap<>();
                        seen.put("name", file.name());
                        seen.put("fileName", file.fileName());
                        seen.put("size", file.size());
                        seen.put("contentType", file.contentType());
                        seen.put("exists", Files.isRegularFile(file.path()));
                        try {
                            seen.put("content", file.size() < 1024 ? Files.readString(file.path()) : "");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        files.put(param.getKey(), seen);
                        uploadedPaths.add(file.path());
                    }
                }
                response.put("files", files);
                response.put("fields", params.get("fields"));
                response.put("title", params.get("title"));
                return new ActionResult(Outcome.COMPLETE, 200, name, 1, response, Map.of(), 1);
            }
            case "throw" -> throw new IllegalStateException("the runner broke its contract");
            default -> {
                return unknown(response);
            }
        }
    }

    private static ActionResult unknown(Map<String, Object> response) {
        response.put("error", Messages.defaults().format(HeraldError.UNKNOWN_ACTION));
        return new ActionResult(Outcome.UNKNOWN_ACTION, 404, null, 0, response, Map.of(), 1);
    }

    @Override
    public List<ActionDescriptor> actions() {
        List<ActionDescriptor> actions = new ArrayList<>();
        actions.add(new Descriptor("echo", Inputs.of(Input.optional("message"), Input.optional("userID"),
                Input.optional("key"), Input.optional("payload"))));
        actions.add(new Descriptor("randomNumber", Inputs.none()));
        return actions;
    }

    private record Descriptor(String name, Inputs inputs) implements ActionDescriptor {

        @Override
        public int version() {
            return 1;
        }

        @Override
        public String description() {
            return name;
        }

        @Override
        public List<String> middleware() {
            return List.of();
        }

        @Override
        public List<String> blockedConnectionTypes() {
            return List.of();
        }

        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public List<String> roles() {
            return List.of();
        }

        @Override
        public String logLevel() {
            return "info";
        }

        @Override
        public boolean toDocument() {
            return true;
        }

        @Override
        public boolean responseMetadata() {
            return true;
        }

        @Override
        public String outputExample() {
            return "";
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of();
        }
    }
}
