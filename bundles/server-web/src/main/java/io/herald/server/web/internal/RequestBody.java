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
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.Request;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.herald.api.spi.HeraldError;
import io.herald.core.json.HeraldJson;

/**
 * Reads a request body, never more than maxBodySize bytes, and turns it into params: the fields of a JSON object, a
 * JSON array as the param {@code payload} (Actionhero's {@code collapseObjectToArray}), the fields of a urlencoded
 * form, or the fields and files of a multipart form ({@link MultipartBody}, up to maxUploadSize bytes). As in
 * Actionhero, only requests other than GET and HEAD that name a content type have a body. JSON is read by
 * {@link HeraldJson#readUntrusted}: strict UTF-8, Herald's limits named in the 400.
 *
 * <p>Reading is split in three so that no thread waits for a slow client: {@link #kind} checks the headers before a
 * byte is read, {@link #read} reads the body as it arrives ({@link BodyReader}, or Jetty's multipart parser) and then
 * calls back, and {@link #parseInto} turns what was read into params on the thread that runs the action.
 */
final class RequestBody {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/form-data";

    /** The bodies Herald reads. */
    enum Kind { JSON, FORM, MULTIPART }

    /** A body read whole: the bytes of a JSON or form body, or the parts of a multipart one (their files on disk). */
    record Received(byte[] bytes, MultiPartFormData.Parts parts) {
    }

    /** What happens once the body is read, or refused. Exactly one of the two is called, once. */
    interface Next {

        /** May block: it runs the action. */
        void body(Received body);

        void refused(WebException refusal);
    }

    private final long maxBodySize;
    /** The limits of a body's arrival: the whole body within a time, and a minimum rate after the first second. */
    private final ClientLimits limits;
    /** {@code null}: uploads are turned off (maxUploadSize 0). */
    private final MultipartBody multipart;
    private final long maxUploadSize;

    RequestBody(long maxBodySize, ClientLimits limits) {
        this(maxBodySize, limits, null, 0);
    }

    RequestBody(long maxBodySize, ClientLimits limits, MultipartBody multipart, long maxUploadSize) {
        this.maxBodySize = maxBodySize;
        this.limits = limits;
        this.multipart = multipart;
        this.maxUploadSize = maxUploadSize;
    }

    /**
     * What body {@code request} has for params, checked before a byte of it is read: {@code null} when none is read
     * (GET and HEAD, no content type, an empty body).
     *
     * @throws WebException for a declared length over the limit (413), or a type Herald does not read (415)
     */
    Kind kind(Request request, boolean methodHasBody) throws WebException {
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
            return Kind.JSON;
        } else if (mediaType.equals(FORM)) {
            return Kind.FORM;
        } else if (upload) {
            return Kind.MULTIPART;
        } else if (mediaType.equals(MULTIPART)) {
            throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE, MULTIPART + " (uploads are turned off here)");
        }
        throw new WebException(HeraldError.UNSUPPORTED_MEDIA_TYPE,
                mediaType + " (send " + JSON + ", " + FORM + " or " + MULTIPART + ")");
    }

    /**
     * Reads the body without holding a thread while it arrives, then calls {@code next}: with what was read, or with
     * the refusal (too large, too slow, unreadable).
     *
     * @throws WebException for a body refused before a byte of it is read (a multipart type without a boundary)
     */
    void read(Request request, Kind kind, Next next) throws WebException {
        if (kind == Kind.MULTIPART) {
            multipart.read(request, request.getHeaders().get(HttpHeader.CONTENT_TYPE), limits, new MultipartBody.Next() {
                @Override
                public void parts(MultiPartFormData.Parts parts) {
                    next.body(new Received(null, parts));
                }

                @Override
                public void refused(WebException refusal) {
                    next.refused(refusal);
                }
            });
            return;
        }
        new BodyReader(request, maxBodySize, limits, new BodyReader.Next() {
            @Override
            public void body(byte[] body) {
                next.body(new Received(body, null));
            }

            @Override
            public void refused(WebException refusal) {
                next.refused(refusal);
            }
        }).start();
    }

    /**
     * Adds the params of a body read by {@link #read}, replacing params of the same name.
     *
     * @param params where JSON fields go
     * @param fields where form and multipart fields go (bracket names expanded), sharing {@code params} and the
     *        request's field count
     * @return the uploaded files of a multipart body, to close once the action has answered; else {@code null}
     */
    Uploads parseInto(Kind kind, Received body, Map<String, Object> params, BracketParams fields) throws WebException {
        switch (kind) {
            case JSON:
                readJson(body.bytes(), params);
                return null;
            case FORM:
                readForm(body.bytes(), fields);
                return null;
            default:
                return multipart.fill(body.parts(), fields);
        }
    }

    private static void readJson(byte[] body, Map<String, Object> params) throws WebException {
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

    /** {@code Application/JSON; charset=utf-8} to {@code application/json}. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
