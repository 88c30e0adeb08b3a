package io.herald.core.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of a PEM file ({@code -----BEGIN <label>-----}, base64, {@code -----END <label>-----}; RFC 7468), and the
 * few DER steps that turn the private key formats OpenSSL writes into the PKCS#8 form the JDK reads. Text around the
 * blocks (OpenSSL's "Bag Attributes", comments) is ignored.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** rsaEncryption, with its NULL parameters: the algorithm of a PKCS#1 key wrapped as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** id-ecPublicKey (1.2.840.10045.2.1), followed by the curve's OID in a SEC1 key's algorithm. */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int CONTEXT_0 = 0xa0;

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its decoded bytes. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** @throws IllegalArgumentException when a block's base64 is broken */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
        }
        return blocks;
    }

    /** A PKCS#1 {@code RSAPrivateKey} as PKCS#8 {@code PrivateKeyInfo}. */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        return sequence(concat(new byte[] { INTEGER, 1, 0 }, RSA_ALGORITHM, tlv(OCTET_STRING, pkcs1)));
    }

    /**
     * A SEC1 {@code ECPrivateKey} as PKCS#8 {@code PrivateKeyInfo}: the curve moves from the key's optional
     * {@code [0] parameters} to the algorithm identifier.
     *
     * @throws IllegalArgumentException when the key names no curve, or is no SEC1 structure
     */
    static byte[] pkcs8FromSec1(byte[] sec1) {
        Der outer = new Der(sec1, 0);
        if (outer.tag != SEQUENCE) {
            throw new IllegalArgumentException("not an EC private key structure");
        }
        int position = outer.contentStart;
        byte[] curve = null;
        while (position < outer.end) {
            Der field = new Der(sec1, position);
            if (field.tag == CONTEXT_0) {
                Der oid = new Der(sec1, field.contentStart);
                if (oid.tag == OID) {
                    curve = java.util.Arrays.copyOfRange(sec1, field.contentStart, oid.end);
                }
            }
            position = field.end;
        }
        if (curve == null) {
            throw new IllegalArgumentException("the EC key does not name its curve");
        }
        return sequence(concat(new byte[] { INTEGER, 1, 0 }, sequence(concat(EC_PUBLIC_KEY_OID, curve)),
                tlv(OCTET_STRING, sec1)));
    }

    /** One DER element's header: tag, where its content starts and where it ends. */
    private static final class Der {

        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] der, int offset) {
            if (offset + 2 > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            tag = der[offset] & 0xff;
            int first = der[offset + 1] & 0xff;
            int position = offset + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 4 || position + count > der.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[position++] & 0xff);
                }
            }
            if (position + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            contentStart = position;
            end = (int) (position + length);
        }
    }

    private static byte[] sequence(byte[] content) {
        return tlv(SEQUENCE, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
