package io.herald.middleware.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.herald.api.Caller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path dir;

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(new Date(NOW + 600_000));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void an_hs256_token_gives_its_subject_and_roles_and_bad_ones_say_why() throws Exception {
        JwtVerifier verifier = JwtVerifier.configure(SECRET, "", "https://issuer.example", "herald", "roles");
        MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        JWTClaimsSet good = claims("ann").issuer("https://issuer.example").audience("herald")
                .claim("roles", List.of("admin", "reader")).build();
        assertEquals(new Caller("ann", Set.of("admin", "reader"), "jwt"), verifier.verify(sign(signer, JWSAlgorithm.HS256, good)));

        MACSigner other = new MACSigner("another-secret-that-is-32-bytes-long".getBytes(StandardCharsets.UTF_8));
        Map<String, JWTClaimsSet> refused = Map.of(
                "expired", claims("ann").issuer("https://issuer.example").audience("herald")
                        .expirationTime(new Date(NOW - 120_000)).build(),
                "wrong issuer", claims("ann").issuer("https://evil.example").audience("herald").build(),
                "wrong audience", claims("ann").issuer("https://issuer.example").audience("other").build(),
                "no subject", new JWTClaimsSet.Builder().issuer("https://issuer.example").audience("herald")
                        .expirationTime(new Date(NOW + 600_000)).build(),
                "no expiry", new JWTClaimsSet.Builder().subject("ann").issuer("https://issuer.example").audience("herald").build());
        for (Map.Entry<String, JWTClaimsSet> entry : refused.entrySet()) {
            String token = sign(signer, JWSAlgorithm.HS256, entry.getValue());
            JwtVerifier.InvalidTokenException e = assertThrows(JwtVerifier.InvalidTokenException.class,
                    () -> verifier.verify(token), entry.getKey());
            assertFalse(e.getMessage().contains(token), e.getMessage());
        }
        assertThrows(JwtVerifier.InvalidTokenException.class,
                () -> verifier.verify(sign(other, JWSAlgorithm.HS256, good)), "another key's signature");
        assertThrows(JwtVerifier.InvalidTokenException.class, () -> verifier.verify(new PlainJWT(good).serialize()),
                "alg none");
        assertThrows(JwtVerifier.InvalidTokenException.class, () -> verifier.verify("a.b.c"), "garbage");
    }

    @Test
    void rs256_keys_from_pem_and_es256_keys_from_a_jwks_file() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaPair = rsa.generateKeyPair();
        Path pem = dir.resolve("keys.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsaPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        JwtVerifier fromPem = JwtVerifier.configure("", pem.toString(), "", "", "realm_access.roles");
        String rs256 = sign(new RSASSASigner((RSAPrivateKey) rsaPair.getPrivate()), JWSAlgorithm.RS256,
                claims("bob").claim("realm_access", Map.of("roles", List.of("ops"))).build());
        assertEquals(new Caller("bob", Set.of("ops"), "jwt"), fromPem.verify(rs256), "a nested roles claim");
        // Algorithm confusion: an HS256 token keyed with the public key's bytes must not pass as the RSA key's.
        String confused = sign(new MACSigner(rsaPair.getPublic().getEncoded()), JWSAlgorithm.HS256, claims("eve").build());
        assertThrows(JwtVerifier.InvalidTokenException.class, () -> fromPem.verify(confused));

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecPair = ec.generateKeyPair();
        Path jwks = dir.resolve("keys.json");
        Files.writeString(jwks, new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) ecPair.getPublic()).build())
                .toString());
        JwtVerifier fromJwks = JwtVerifier.configure("", jwks.toString(), "", "", "scope");
        String es256 = sign(new ECDSASigner((ECPrivateKey) ecPair.getPrivate()), JWSAlgorithm.ES256,
                claims("carl").claim("scope", "read write").build());
        assertEquals(new Caller("carl", Set.of("read", "write"), "jwt"), fromJwks.verify(es256), "roles as a string");
        assertThrows(JwtVerifier.InvalidTokenException.class, () -> fromPem.verify(es256), "a key it does not have");
    }

    @Test
    void configuration_mistakes_are_refused_naming_the_property() throws Exception {
        assertNull(JwtVerifier.configure("", "", "", "", "roles"), "no key, no JWT");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JwtVerifier.configure("short", "", "", "", "roles"))
                .getMessage().startsWith("jwtSecret must have at least 32 bytes"));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.configure("", empty.toString(), "", "", "roles")).getMessage().contains("holds no public key"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.configure("", dir.resolve("missing.pem").toString(), "", "", "roles"))
                .getMessage().startsWith("jwtKeys: cannot read"));
    }

    @Test
    void the_shape_of_a_jwt() {
        assertTrue(JwtVerifier.looksLikeJwt("aaa.bbb.ccc"));
        assertFalse(JwtVerifier.looksLikeJwt("ops-0123456789abcdef"));
        assertFalse(JwtVerifier.looksLikeJwt("a..c"));
        assertFalse(JwtVerifier.looksLikeJwt(".b.c"));
        assertFalse(JwtVerifier.looksLikeJwt("a.b."));
        assertFalse(JwtVerifier.looksLikeJwt("a.b.c.d"));
    }
}
