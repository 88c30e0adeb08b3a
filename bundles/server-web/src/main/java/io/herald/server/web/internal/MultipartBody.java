package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.Request;

import io.herald.api.UploadedFile;
import io.herald.api.spi.HeraldError;

/**
 * Reads a {@code multipart/form-data} body with Jetty's own parser ({@link MultiPartFormData}), streaming every part to
 * a file in the upload directory as it arrives: files become {@link UploadedFile} params, the other fields strings
 * (bracket names expanded), as Actionhero's formidable hands them to actions. Limits: the whole body
 * ({@code maxUploadSize}, checked while reading, 413), each file ({@code maxUploadFileSize}, 413), each plain field
 * ({@code maxBodySize}, 413: fields are read into memory), the number of parts ({@code maxFormFields}, 422). When a
 * limit is passed or the body is malformed, the files written so far are deleted before the answer.
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

    /**
     * Reads the body into {@code fields}.
     *
     * @return the files, to close once the action has answered
     */
    Uploads read(Request request, String contentType, BracketParams fields) throws WebException {
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
        MultiPartFormData.Parts parts = parse(parser, new LimitedSource(request, maxSize));
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

    private MultiPartFormData.Parts parse(MultiPartFormData.Parser parser, LimitedSource source) throws WebException {
        try {
            return parser.parse(source).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.fail(e);
            throw new WebException(HeraldError.SERVER_SHUTTING_DOWN);
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
    }

    /** Jetty's parser failures in the catalogue's words. */
    private WebException refusal(Throwable failure) {
        if (failure instanceof LimitedSource.TooLarge) {
            return new WebException(HeraldError.BODY_TOO_LARGE, maxSize);
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
}
