package io.herald.example.hello;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.UploadedFile;

import org.osgi.service.component.annotations.Component;

/**
 * An upload over HTTP ({@code multipart/form-data}, field {@code file}): the file arrives as an {@link UploadedFile}
 * param, already on disk, and is deleted once this action has answered (copy or move it to keep it).
 *
 * <pre>curl -F file=@photo.jpg http://localhost:8080/api/upload</pre>
 */
@Component
@ActionDefinition(name = "upload", description = "I tell you what you uploaded: the file's name, size, type and SHA-256",
        outputExample = "{\"fileName\":\"photo.jpg\",\"size\":1024,\"contentType\":\"image/jpeg\",\"sha256\":\"...\"}")
public class Upload implements Action {

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("file").type("file").description("the file, in a multipart/form-data body"));
    }

    @Override
    public Object run(ActionContext context) throws IOException, NoSuchAlgorithmException {
        UploadedFile file = (UploadedFile) context.param("file");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file.path())) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("fileName", file.fileName());
        answer.put("size", file.size());
        answer.put("contentType", file.contentType());
        answer.put("sha256", HexFormat.of().formatHex(sha256.digest()));
        return answer;
    }
}
