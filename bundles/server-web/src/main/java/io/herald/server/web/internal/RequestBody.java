package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Blocker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.api.spi.HeraldError;
import io.herald.core.json.HeraldJson;

/**
 * Reads a request body, never more than maxBodySize bytes, and turns it into params: the fields of a JSON object, a
 * JSON array as the param {@code payload} (Actionhero's {@code collapseObjectToArray}), the fields of a
 * urlencoded form, or the fields and files of a multipart form ({@link MultipartBody}, up to maxUploadSize bytes). As in Actionhero, only requests other than GET and HEAD that name a content type have a body.
 */
final class RequestBody {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/form-data";

    private final long maxBodySize;
    private final ObjectMapper mapper;
    /** {@code null}: uploads are turned off (maxUploadSize 0). */
    private final MultipartBody multipart;
    private final long maxUploadSize;

    RequestBody(long maxBodySize, ObjectMapper mapper) {
        this(maxBodySize, mapper, null, 0);
    }

    RequestBody(long maxBodySize, ObjectMapper mapper, MultipartBody multipart, long maxUploadSize) {
        this.maxBodySize = maxBodySize;
        this.mapper = mapper;
        this.multipart = multipart;
        this.maxUploadSize = maxUploadSize;
    }

    /**
     * Adds the body's params to {@code params}, replacing params of the same name.
     *
     * @param fields where form fields go (bracket names expanded), sharing {@code params} and the request's field count
     * @return the uploaded files of a multipart body, to close once the action has answered; else {@code null}
     * @throws WebException for a body too large, malformed, or of a type Herald does not read
     */
    Uploads readInto(Request request, boolean methodHasBody, Map<String, Object> params, BracketParams fields)
            throws WebException {
        long declared = request.getLength();
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mediaType = contentType == null ? "" : mediaType(contentType);
        boolean upload = methodHasBody && multipart != null && mediaType.equals(MULTIPART);
        long limit = upload ? maxUploadSize : maxBodySize;
        // Refused before reading a byte: the client may be waiting for 100-continue.
        if (declared > limit) {
            throw new WebException(HeraldError.BODY_TOO_LARGE, limit);
        }
        if (!methodHasBody || contentType == null || declared == 0) {
            return null;
        }
        if (mediaType.equals(JSON) || mediaType.endsWith("+json")) {
            readJson(read(request, declared), params);
        } else if (mediaType.equals(FORM)) {
            readForm(read(request, declared), fields);
        } else if (upload) {
            return multipart.read(request, contentType, fields);
        } else if (mediaType.equals(MULTIPART)) {
            throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE, MULTIPART + " (uploads are turned off here)");
        } else {
            throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE,
                    mediaType + " (send " + JSON + ", " + FORM + " or " + MULTIPART + ")");
        }
        return null;
    }

    private void readJson(byte[] body, Map<String, Object> params) throws WebException {
        if (body.length == 0) {
            return;
        }
        Object value;
        try {
            value = mapper.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, HeraldJson.describe(e));
        } catch (IOException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, e.getMessage());
        }
        if (value instanceof Map<?, ?> object) {
            for (Map.Entry<?, ?> field : object.entrySet()) {
                params.put(String.valueOf(field.getKey()), field.getValue());
            }
        } else if (value instanceof List<?> array) {
            params.put("payload", array);
        } else {
            throw new WebException(HeraldError.MALFORMED_BODY,
                    "a JSON body must be an object or an array, not " + (value == null ? "null" : "a single value"));
        }
    }

    private static void readForm(byte[] body, BracketParams fields) throws WebException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, "the form is not UTF-8");
        }
        try {
            FormDecoder.decodeInto(text, fields, "the form body");
        } catch (WebException e) {
            if (e.error() != HeraldError.MALFORMED_REQUEST) {
                throw e;
            }
            // The same detail, named as the body's fault rather than the URL's.
            throw new WebException(HeraldError.MALFORMED_BODY, e.args());
        }
    }

    /**
     * Reads the whole body, counting bytes as they arrive: a chunked body declares no length, so the limit must hold
     * while reading.
     */
    byte[] read(Request request, long declared) throws WebException {
        // Grown as bytes arrive, so a large Content-Length alone does not make the server allocate.
        byte[] body = new byte[declared > 0 ? (int) Math.min(declared, 64 * 1024) : 1024];
        int length = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitContent(request);
                continue;
            }
            boolean last = chunk.isLast();
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    throw new WebException(HeraldError.MALFORMED_REQUEST, "the body could not be read ("
                            + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()) + ")");
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int size = bytes.remaining();
                if ((long) length + size > maxBodySize) {
                    throw new WebException(HeraldError.BODY_TOO_LARGE, maxBodySize);
                }
                if (length + size > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(maxBodySize, Math.max((long) body.length * 2, length + size)));
                }
                bytes.get(body, length, size);
                length += size;
            } finally {
                chunk.release();
            }
            if (last) {
                return length == body.length ? body : Arrays.copyOf(body, length);
            }
        }
    }

    private static void awaitContent(Request request) throws WebException {
        try (Blocker.Runnable blocker = Blocker.runnable()) {
            request.demand(blocker);
            blocker.block();
        } catch (IOException e) {
            throw new WebException(HeraldError.MALFORMED_REQUEST, "the body could not be read (" + e.getMessage() + ")");
        }
    }

    /** {@code Application/JSON; charset=utf-8} to {@code application/json}. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
