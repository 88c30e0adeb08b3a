package io.herald.middleware.auth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.herald.api.Caller;

/**
 * Verifies JWT bearer tokens with Nimbus JOSE+JWT: HS256 with a shared secret, RS256 and ES256 with public keys from
 * a JWKS file or PEM {@code PUBLIC KEY} blocks. A token must be signed with an allowed algorithm by a configured key,
 * carry {@code sub} and {@code exp}, be within its {@code nbf}/{@code exp} (60 s of clock skew), and match the issuer
 * and audience when they are configured. Unsigned ({@code alg: none}) tokens are refused by Nimbus itself.
 */
final class JwtVerifier {

    /** An HS256 secret shorter than the hash it keys (RFC 7518 3.2) is refused. */
    static final int MIN_SECRET_BYTES = 32;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String rolesClaim;

    private JwtVerifier(JWKSet keys, Set<JWSAlgorithm> algorithms, String issuer, String audience, String rolesClaim) {
        this.rolesClaim = rolesClaim;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!issuer.isEmpty()) {
            exact.issuer(issuer);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience.isEmpty() ? null : audience,
                exact.build(), new HashSet<>(List.of("sub", "exp"))));
    }

    /**
     * @param secret the HS256 secret, or empty
     * @param keysFile a JWKS file or PEM public keys for RS256/ES256, or empty
     * @return the verifier, or {@code null} when neither a secret nor keys are configured (tokens are then unknown keys)
     * @throws IllegalArgumentException naming the property whose value cannot be used
     */
    static JwtVerifier configure(String secret, String keysFile, String issuer, String audience, String rolesClaim) {
        if (secret.isEmpty() && keysFile.isEmpty()) {
            return null;
        }
        List<JWK> keys = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (!secret.isEmpty()) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("jwtSecret must have at least " + MIN_SECRET_BYTES + " bytes for HS256");
            }
            keys.add(new OctetSequenceKey.Builder(bytes).build());
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (!keysFile.isEmpty()) {
            List<JWK> loaded = load(Path.of(keysFile));
            if (loaded.isEmpty()) {
                throw new IllegalArgumentException("jwtKeys: " + keysFile + " holds no public key");
            }
            for (JWK key : loaded) {
                if (key instanceof RSAKey) {
                    algorithms.add(JWSAlgorithm.RS256);
                } else if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                    algorithms.add(JWSAlgorithm.ES256);
                } else {
                    throw new IllegalArgumentException("jwtKeys: " + keysFile + " holds a key that is neither RSA nor EC "
                            + "P-256 (" + key.getKeyType() + ")");
                }
                keys.add(key.toPublicJWK());
            }
        }
        if (rolesClaim.isBlank()) {
            throw new IllegalArgumentException("jwtRolesClaim must name a claim");
        }
        return new JwtVerifier(new JWKSet(keys), algorithms, issuer.trim(), audience.trim(), rolesClaim.trim());
    }

    /** Whether a credential has the shape of a JWS in compact form: three base64url parts. */
    static boolean looksLikeJwt(String credential) {
        int first = credential.indexOf('.');
        int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && second < credential.length() - 1
                && credential.indexOf('.', second + 1) < 0;
    }

    /**
     * @return the token's caller: its {@code sub}, the roles of the roles claim, scheme {@code jwt}
     * @throws InvalidTokenException saying why, without the token
     */
    Caller verify(String token) throws InvalidTokenException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("a malformed token");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("a token that failed verification: " + e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidTokenException("a token that could not be verified: " + e.getMessage());
        }
        return new Caller(claims.getSubject(), roles(claims), "jwt");
    }

    /** The roles claim: a list, or a string of names separated by spaces or commas (OAuth's {@code scope}); a dotted name reads nested objects. */
    private Set<String> roles(JWTClaimsSet claims) {
        Object value = claims.getClaims();
        for (String part : rolesClaim.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        } else if (value instanceof String text) {
            for (String role : text.split("[\\s,]+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    private static List<JWK> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("jwtKeys: cannot read " + file + ": " + e.getMessage());
        }
        if (text.trim().startsWith("{")) {
            try {
                return JWKSet.parse(text).getKeys();
            } catch (ParseException e) {
                throw new IllegalArgumentException("jwtKeys: " + file + " is not a JWK set: " + e.getMessage());
            }
        }
        List<JWK> keys = new ArrayList<>();
        Matcher pem = PEM.matcher(text);
        while (pem.find()) {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
            keys.add(publicKey(der, file));
        }
        return keys;
    }

    private static JWK publicKey(byte[] der, Path file) {
        for (String algorithm : List.of("RSA", "EC")) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisKind) {
                continue;
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null) {
                    throw new IllegalArgumentException("jwtKeys: " + file + " holds an EC key of an unknown curve");
                }
                return new ECKey.Builder(curve, ec).build();
            }
        }
        throw new IllegalArgumentException("jwtKeys: " + file + " holds a PEM block that is neither an RSA nor an EC public key");
    }

    /** A token that does not authenticate; the message says why without quoting the token. */
    static final class InvalidTokenException extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
