package org.jamwire.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * PEM certificates and keys, as jacktrip's {@code --certfile} and {@code --keyfile} take them (what
 * {@code openssl req -x509 -newkey rsa:2048 -nodes} writes): the hub's TLS identity, and a
 * certificate a client pins. Keys are unencrypted PKCS#8 ({@code PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}), RSA or EC. Control thread.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemFiles() {
    }

    /**
     * A server TLS context for the certificate chain in {@code certFile} and the key in {@code keyFile}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
        final List<X509Certificate> chain = certificates(certFile);
        final PrivateKey key = privateKey(keyFile);
        try {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            final char[] none = new char[0];
            store.setKeyEntry("hub", key, none, chain.toArray(new Certificate[0]));
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            final SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("the key in " + keyFile + " does not go with the certificate in " + certFile
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The certificates in a PEM file, the first being the server's own.
     *
     * @throws IOException when it cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        final List<X509Certificate> out = new ArrayList<>();
        try {
            final CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(text, "CERTIFICATE")) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding, as lower-case hex without separators. */
    public static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("ENCRYPTED")) {
            throw new IOException(file + " holds an encrypted key; the hub needs it unencrypted, as jacktrip does:"
                    + " openssl pkey -in " + file + " -out KEY.pem");
        }
        byte[] pkcs8 = null;
        final List<byte[]> p8 = blocks(text, "PRIVATE KEY");
        final List<byte[]> p1 = blocks(text, "RSA PRIVATE KEY");
        if (!p8.isEmpty()) {
            pkcs8 = p8.get(0);
        } else if (!p1.isEmpty()) {
            pkcs8 = rsaPkcs1ToPkcs8(p1.get(0));
        }
        if (pkcs8 == null) {
            throw new IOException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY----- or"
                    + " -----BEGIN RSA PRIVATE KEY-----)");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new IOException(file + " holds a private key that is neither RSA nor EC");
    }

    private static List<byte[]> blocks(String text, String type) throws IOException {
        final List<byte[]> out = new ArrayList<>();
        final Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    out.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IOException("a PEM " + type + " block is not valid base64", e);
                }
            }
        }
        return out;
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        final byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};
        final byte[] version = {0x02, 0x01, 0x00};
        final byte[] octets = der(0x04, pkcs1);
        final byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        final int n = content.length;
        final byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        final byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
