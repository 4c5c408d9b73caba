package org.jamwire.net;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How an authenticating hub client decides to trust the hub's certificate before it sends a
 * password: the JVM's trust store and the host name (the default), one pinned certificate (a PEM
 * file or its SHA-256 fingerprint), or, knowingly, any certificate at all, which is what jacktrip's
 * own client does. Immutable; control thread.
 */
public final class HubTrust {

    private static final Pattern FINGERPRINT = Pattern.compile("((?i)sha256:)?([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}");

    /** How the certificate is checked. */
    public enum Kind {
        /** The JVM's trust store, and the certificate must name the host. */
        SYSTEM,
        /** The certificate must be the pinned one. */
        PINNED,
        /** Not checked at all. */
        ANY
    }

    private final Kind kind;
    private final String pinned;

    private HubTrust(Kind kind, String pinned) {
        this.kind = kind;
        this.pinned = pinned;
    }

    /** The JVM's trust store and host name check. */
    public static HubTrust system() {
        return new HubTrust(Kind.SYSTEM, null);
    }

    /** Any certificate: anyone on the path can pose as the hub and read the password. */
    public static HubTrust any() {
        return new HubTrust(Kind.ANY, null);
    }

    /**
     * The certificate whose SHA-256 fingerprint is {@code pin} (64 hex digits, colons and a
     * {@code sha256:} prefix allowed), or the first certificate of the PEM file it names.
     *
     * @throws IOException when it is neither a fingerprint nor a readable PEM certificate
     */
    public static HubTrust pinned(String pin) throws IOException {
        if (FINGERPRINT.matcher(pin).matches()) {
            return new HubTrust(Kind.PINNED, normalise(pin));
        }
        return new HubTrust(Kind.PINNED, PemFiles.fingerprint(PemFiles.certificates(Path.of(pin)).get(0)));
    }

    /** True when {@code text} has the form of a fingerprint, for messages about a missing file. */
    public static boolean looksLikeFingerprint(String text) {
        return FINGERPRINT.matcher(text).matches();
    }

    private static String normalise(String pin) {
        return pin.toLowerCase(Locale.ROOT).replace("sha256:", "").replace(":", "");
    }

    /** How it checks. */
    public Kind kind() {
        return kind;
    }

    /** A client context whose trust manager records what the hub presented into {@code seen}. */
    SSLContext context(String[] seen) throws IOException {
        try {
            final X509TrustManager check = switch (kind) {
                case SYSTEM -> systemManager();
                case PINNED -> new Pinned(pinned);
                case ANY -> new Pinned(null);
            };
            final SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Recording(check, seen)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Host name checking for {@link Kind#SYSTEM}; nothing to add for the others. */
    void configure(SSLParameters p) {
        if (kind == Kind.SYSTEM) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
    }

    private static X509TrustManager systemManager() throws GeneralSecurityException {
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }

    /** Accepts the certificate with the pinned fingerprint, or any with a null pin. */
    private static final class Pinned implements X509TrustManager {
        private final String fingerprint;

        Pinned(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (fingerprint != null && !fingerprint.equals(PemFiles.fingerprint(chain[0]))) {
                throw new CertificateException("the hub's certificate is not the pinned one");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a hub client does not take client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Notes the fingerprint the hub presented, so that a refusal can tell the user what to pin. */
    private static final class Recording implements X509TrustManager {
        private final X509TrustManager check;
        private final String[] seen;

        Recording(X509TrustManager check, String[] seen) {
            this.check = check;
            this.seen = seen;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain != null && chain.length > 0) {
                seen[0] = PemFiles.fingerprint(chain[0]);
            }
            check.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return check.getAcceptedIssuers();
        }
    }
}
