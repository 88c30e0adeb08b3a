package io.herald.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file uploaded with the request, as a param of the web transport ({@code multipart/form-data}). The file was
 * streamed to the web server's upload directory before the action ran, and is deleted once the action has answered
 * (whether it succeeded or failed): an action that wants to keep it moves or copies it during its run. Only the web
 * transport produces it; over WebSocket and TCP a param is never an {@code UploadedFile}. An input of type
 * {@code file} accepts nothing else, and {@code context.param(name, UploadedFile.class)} never builds one from what a
 * client sent, so a client cannot name a path on the server. Actionhero hands actions formidable's file objects the
 * same way.
 *
 * <pre>{@code
 * public Inputs inputs() {
 *     return Inputs.of(Input.required("avatar").type("file"));
 * }
 * public Object run(ActionContext context) throws IOException {
 *     UploadedFile avatar = (UploadedFile) context.param("avatar");
 *     Files.copy(avatar.path(), storage.resolve(UUID.randomUUID().toString()));
 *     return Map.of("size", avatar.size());
 * }
 * }</pre>
 *
 * @param name the form field the file came in
 * @param fileName the file's name as the client gave it (may be empty; never trust it as a path)
 * @param size the file's length in bytes
 * @param contentType the part's {@code Content-Type}, {@code application/octet-stream} when the client gave none
 * @param path where the file is while the action runs
 * @since 1.3
 */
public record UploadedFile(String name, String fileName, long size, String contentType, Path path) {

    public UploadedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(path, "path");
    }

    /** Names the file, never its contents or where it is on the server. */
    @Override
    public String toString() {
        return "UploadedFile[" + name + "=" + fileName + ", " + size + " bytes, " + contentType + "]";
    }
}
