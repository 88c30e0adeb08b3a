package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.MultiPartFormData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one multipart request, deleted by {@link #close()} once the action has answered, whether it succeeded
 * or not (Actionhero leaves formidable's files in the temp directory; Herald does not keep what nobody asked for).
 */
final class Uploads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

    private final MultiPartFormData.Parts parts;
    private final List<Path> files = new ArrayList<>();

    Uploads(MultiPartFormData.Parts parts) {
        this.parts = parts;
    }

    /** A file to delete on close. */
    void track(Path file) {
        files.add(file);
    }

    private boolean closed;

    /** Deletes the files; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Closing the parts deletes the files Jetty wrote; the explicit delete covers the ones written here, and a file
        // an action moved away is simply not there any more.
        parts.close();
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete the uploaded file {}: {}", file, e.getMessage());
            }
        }
    }
}
