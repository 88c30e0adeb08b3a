package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

import io.herald.api.UploadedFile;
import io.herald.api.spi.HeraldError;

/**
 * Reads a {@code multipart/form-data} body with Jetty's own parser ({@link MultiPartFormData}), streaming every part to
 * a file in the upload directory as it arrives: files become {@link UploadedFile} params, the other fields strings
 * (bracket names expanded), as Actionhero's formidable hands them to actions. Limits: the whole body
 * ({@code maxUploadSize}, checked while reading, 413), each file ({@code maxUploadFileSize}, 413), each plain field
 * ({@code maxBodySize}, 413: fields are read into memory), the number of parts ({@code maxFormFields}, 422), the time
 * and rate of its arrival ({@code requestBodyTimeout}, {@code minRequestDataRate}, 408). When a limit is passed or the
 * body is malformed, the files written so far are deleted before the answer. The body is parsed as it arrives without
 * holding a thread meanwhile ({@link #read}); the action runs once the last part is on disk.
 */
final class MultipartBody {

    private static final String OCTET_STREAM = "application/octet-stream";

    private final Path directory;
    private final long maxSize;
    private final long maxFileSize;
    private final long maxFieldSize;
    private final int maxParts;

    MultipartBody(Path directory, long maxSize, long maxFileSize, long maxFieldSize, int maxParts) {
        this.directory = directory;
        this.maxSize = maxSize;
        this.maxFileSize = maxFileSize;
        this.maxFieldSize = maxFieldSize;
        this.maxParts = maxParts;
    }

    /** What happens once the parts are on disk, or the body is refused. Exactly one of the two is called, once. */
    interface Next {

        /** The parts, their files on disk; {@link #fill} turns them into params. May block: it runs the action. */
        void parts(MultiPartFormData.Parts parts);

        /** The body is refused; the files written so far are already deleted. */
        void refused(WebException refusal);
    }

    /**
     * Parses the body as it arrives, holding no thread while the client sends it: Jetty's parser reads what has come,
     * demands more and returns, as {@link BodyReader} does for JSON and forms. Its reads are declared blocking (they
     * write to disk), so Jetty runs them on pool threads, and {@code next} runs on the thread of the last read.
     * The body is bounded in size ({@code maxUploadSize}), and in time and rate by {@code limits} as other bodies.
     *
     * @throws WebException for a body refused before a byte of it is read (no boundary)
     */
    void read(Request request, String contentType, ClientLimits limits, Next next) throws WebException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new WebException(HeraldError.MALFORMED_BODY, "multipart/form-data without a boundary");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the upload directory " + directory + ": " + e.getMessage(), e);
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setFilesDirectory(directory);
        // Every part goes to disk as it arrives, so memory holds no upload whatever its size.
        parser.setMaxMemoryFileSize(0);
        parser.setUseFilesForPartsWithoutFileName(true);
        parser.setMaxFileSize(maxFileSize);
        parser.setMaxParts(maxParts);
        LimitedSource source = new LimitedSource(request, maxSize);
        SlowUploadCheck check = new SlowUploadCheck(request.getComponents().getScheduler(), limits, source);
        check.start();
        parser.parse(source, Invocable.InvocationType.BLOCKING).whenComplete((parts, failure) -> {
            check.cancel();
            if (failure == null) {
                next.parts(parts);
            } else {
                WebException refusal = refusal(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure, limits);
                // Once the parser has deleted what it wrote: it does so after completing, on this thread.
                LimitedSource.afterRead(() -> next.refused(refusal));
            }
        });
    }

    /**
     * Puts the parts into {@code fields}: files as {@link UploadedFile} params, other fields as strings.
     *
     * @return the files, to close once the action has answered (closed here when a part is refused)
     */
    Uploads fill(MultiPartFormData.Parts parts, BracketParams fields) throws WebException {
        Uploads uploads = new Uploads(parts);
        try {
            for (MultiPart.Part part : parts) {
                fields.count();
                String name = part.getName();
                if (name == null || name.isEmpty()) {
                    throw new WebException(HeraldError.MALFORMED_BODY, "a multipart part without a name");
                }
                if (part.getFileName() == null) {
                    if (part.getLength() > maxFieldSize) {
                        throw new WebException(HeraldError.BODY_TOO_LARGE, maxFieldSize);
                    }
                    fields.put(name, text(part));
                } else {
                    fields.put(name, file(part, uploads));
                }
            }
            return uploads;
        } catch (WebException | RuntimeException e) {
            uploads.close();
            throw e;
        }
    }

    /** A plain field's value, strictly UTF-8 (as urlencoded bodies): a malformed byte is refused, not replaced. */
    private static String text(MultiPart.Part part) throws WebException {
        try {
            byte[] bytes = part instanceof MultiPart.PathPart onDisk ? Files.readAllBytes(onDisk.getPath())
                    : part.getContentAsString(StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, "the field " + printable(part.getName()) + " is not UTF-8");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read an uploaded field: " + e.getMessage(), e);
        }
    }

    /** A part's name as shown in an error: printable ASCII, at most 64 characters. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 64; i++) {
            char c = name.charAt(i);
            out.append(c >= ' ' && c < 127 ? c : '?');
        }
        return out.toString();
    }

    private UploadedFile file(MultiPart.Part part, Uploads uploads) throws WebException {
        Path path;
        if (part instanceof MultiPart.PathPart onDisk) {
            path = onDisk.getPath();
        } else {
            // An empty file never reached the disk: the action still gets a path it can read.
            try {
                path = Files.createTempFile(directory, "MultiPart", "");
                uploads.track(path);
                part.writeTo(path);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write an uploaded file to " + directory + ": " + e.getMessage(), e);
            }
        }
        uploads.track(path);
        String type = part.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return new UploadedFile(part.getName(), part.getFileName(), part.getLength(),
                type == null || type.isBlank() ? OCTET_STREAM : type.trim(), path);
    }

    /** Jetty's parser failures in the catalogue's words. */
    private WebException refusal(Throwable failure, ClientLimits limits) {
        if (failure instanceof LimitedSource.TooLarge) {
            return new WebException(HeraldError.BODY_TOO_LARGE, maxSize);
        }
        if (failure instanceof TooSlow slow) {
            return slow.refusal;
        }
        if (failure instanceof TimeoutException) {
            // Jetty's idle timeout: the client sent nothing for that long.
            return new WebException(HeraldError.REQUEST_TIMEOUT,
                    "nothing of the body arrived for " + limits.idleTimeoutMillis() + " ms (idleTimeout)");
        }
        String message = failure == null || failure.getMessage() == null ? "" : failure.getMessage();
        if (message.startsWith("max file size exceeded")) {
            return new WebException(HeraldError.FILE_TOO_LARGE, maxFileSize);
        }
        if (message.startsWith("Form with too many keys")) {
            return new WebException(HeraldError.TOO_MANY_PARAMS, maxParts);
        }
        if (failure instanceof java.io.EOFException) {
            return new WebException(HeraldError.MALFORMED_BODY, "the multipart body ends before its closing boundary");
        }
        if (failure instanceof IOException) {
            // The client went away or stalled while sending.
            return new WebException(HeraldError.MALFORMED_REQUEST, "the body could not be read");
        }
        return new WebException(HeraldError.MALFORMED_BODY, "the multipart body is malformed"
                + (message.isEmpty() || message.length() > 80 ? "" : " (" + message + ")"));
    }

    /** An upload ended by {@link SlowUploadCheck}: the parser fails with it, and the client gets its 408. */
    private static final class TooSlow extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient WebException refusal;

        TooSlow(WebException refusal) {
            super("the body arrived too slowly", null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * Ends an upload that takes longer than requestBodyTimeout or arrives slower than minRequestDataRate, checked every
     * {@value BodyReader#CHECK_MILLIS} ms while its client sends nothing (as {@link BodyReader} does for other bodies).
     */
    private static final class SlowUploadCheck {

        private final Scheduler scheduler;
        private final ClientLimits limits;
        private final LimitedSource source;
        private final long startNanos = System.nanoTime();
        /** Guarded by this. */
        private Scheduler.Task task;
        private boolean cancelled;

        SlowUploadCheck(Scheduler scheduler, ClientLimits limits, LimitedSource source) {
            this.scheduler = scheduler;
            this.limits = limits;
            this.source = source;
        }

        synchronized void start() {
            if (!cancelled && limits.bodyChecked()) {
                task = scheduler.schedule(this::check, BodyReader.CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (task != null) {
                task.cancel();
            }
        }

        private void check() {
            WebException refusal = limits.tooSlow(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    source.received());
            if (refusal == null) {
                start();
            } else {
                // Through the parser: it deletes what it wrote and completes the read, which answers the 408.
                source.abort(new TooSlow(refusal));
            }
        }
    }
}
