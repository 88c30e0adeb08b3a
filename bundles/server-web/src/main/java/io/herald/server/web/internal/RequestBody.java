package io.herald.server.web.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.spi.HeraldError;
import io.herald.core.json.HeraldJson;

/**
 * Reads a request body, never more than maxBodySize bytes, and turns it into params: the fields of a JSON object, a
 * JSON array as the param {@code payload} (Actionhero's {@code collapseObjectToArray}), or the fields of a
 * urlencoded form. As in Actionhero, only requests other than GET and HEAD that name a content type have a body.
 * JSON is read by {@link HeraldJson#readUntrusted}: strict UTF-8, Herald's limits named in the 400.
 */
final class RequestBody {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/form-data";

    private final long maxBodySize;

    RequestBody(long maxBodySize, ClientLimits limits) {
        this.maxBodySize = maxBodySize;
        this.limits = limits;
    }

    /** The bodies Herald reads. */
    enum Kind { JSON, FORM }

    /** The limits of a body's arrival: the whole body within a time, and a minimum rate after the first second. */
    private final ClientLimits limits;

    /**
     * What body {@code request} has for params, checked before a byte of it is read: {@code null} when none is read
     * (GET and HEAD, no content type, an empty body).
     *
     * @throws WebException for a declared length over the limit (413), or a type Herald does not read (415)
     */
    Kind kind(Request request, boolean methodHasBody) throws WebException {
        long declared = request.getLength();
        // Refused before reading a byte: the client may be waiting for 100-continue.
        if (declared > maxBodySize) {
            throw new WebException(HeraldError.BODY_TOO_LARGE, maxBodySize);
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!methodHasBody || contentType == null || declared == 0) {
            return null;
        }
        String mediaType = mediaType(contentType);
        if (mediaType.equals(JSON) || mediaType.endsWith("+json")) {
            return Kind.JSON;
        } else if (mediaType.equals(FORM)) {
            return Kind.FORM;
        } else if (mediaType.equals(MULTIPART)) {
            throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE, MULTIPART + " (file uploads are not supported yet)");
        }
        throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE, mediaType + " (send " + JSON + " or " + FORM + ")");
    }

    /**
     * Reads the body without holding a thread while it arrives ({@link BodyReader}), then calls {@code next}: with the
     * bytes, or with the refusal (too large, too slow, unreadable).
     */
    void read(Request request, BodyReader.Next next) {
        new BodyReader(request, maxBodySize, limits, next).start();
    }

    /** Adds the params of a body read by {@link #read}, replacing params of the same name. */
    void parseInto(Kind kind, byte[] body, Map<String, Object> params) throws WebException {
        if (kind == Kind.JSON) {
            readJson(body, params);
        } else {
            readForm(body, params);
        }
    }

    private void readJson(byte[] body, Map<String, Object> params) throws WebException {
        if (body.length == 0) {
            return;
        }
        Object value;
        try {
            value = HeraldJson.readUntrusted(body);
        } catch (JsonProcessingException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, HeraldJson.describe(e));
        } catch (IOException e) {
            throw new WebException(HeraldError.MALFORMED_BODY, "the body could not be read");
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

    private static void readForm(byte[] body, Map<String, Object> params) throws WebException {
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
            FormDecoder.decodeInto(text, params, false, "the form body");
        } catch (WebException e) {
            // The same detail, named as the body's fault rather than the URL's.
            throw new WebException(HeraldError.MALFORMED_BODY, e.args());
        }
    }

    /** {@code Application/JSON; charset=utf-8} to {@code application/json}. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
