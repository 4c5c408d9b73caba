package org.jamwire.net;

import static org.jamwire.net.HubHandshakeClient.readAnswer;
import static org.jamwire.net.HubHandshakeClient.where;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jamwire.protocol.HubHandshake;
import org.jamwire.text.Printable;

/**
 * The authenticating client's side of jacktrip's hub handshake ({@code -A}) on a connected socket:
 * 65536 in plain, TLS once the hub echoes it, then the request with the credentials, and the
 * answer, each refusal turned into a message saying what to do. Control thread; blocks.
 */
final class HubTlsLogin {

    private HubTlsLogin() {
    }

    static int exchange(Socket s, InetSocketAddress hub, int udpPort, String name, HubLogin login)
            throws IOException, HubException {
        final OutputStream plain = s.getOutputStream();
        plain.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(HubHandshake.AUTH_OK).array());
        plain.flush();
        final int first = readAnswer(s.getInputStream(), hub);
        if (first == HubHandshake.AUTH_NOT_REQUIRED) {
            throw new HubException("the hub at " + where(hub) + " does not use authentication: leave out -A and"
                    + " the login options");
        }
        if (first != HubHandshake.AUTH_OK) {
            throw new HubException("the hub at " + where(hub) + " answered the request to authenticate with "
                    + Integer.toUnsignedString(first) + ", not 65536: is it a jacktrip hub?");
        }
        final String[] seen = new String[1];
        final SSLSocket tls = (SSLSocket) login.trust().context(seen).getSocketFactory()
                .createSocket(s, hub.getHostString(), hub.getPort(), true);
        final SSLParameters p = tls.getSSLParameters();
        login.trust().configure(p);
        tls.setSSLParameters(p);
        try {
            tls.startHandshake();
        } catch (SSLHandshakeException e) {
            throw untrusted(hub, login.trust(), seen[0], e);
        }
        final byte[] request = HubHandshake.authRequest(udpPort, name, login.user(), login.password());
        try {
            tls.getOutputStream().write(request);
            tls.getOutputStream().flush();
        } finally {
            Arrays.fill(request, (byte) 0);
        }
        final int answer = readAnswer(tls.getInputStream(), hub);
        return switch (answer) {
            case HubHandshake.AUTH_WRONG_CREDENTIALS -> throw new HubException("the hub at " + where(hub)
                    + " refused the user name '" + Printable.escape(login.user())
                    + "' or its password: check both with the hub's owner");
            case HubHandshake.AUTH_WRONG_TIME -> throw new HubException("the hub at " + where(hub) + " lets '"
                    + login.user() + "' in only at certain times (by the hub's clock), and now is not one of them:"
                    + " ask the hub's owner when");
            default -> {
                if (answer < 1 || answer > 65535) {
                    throw new HubException("the hub at " + where(hub) + " did not give a port: "
                            + HubHandshake.describeCode(answer));
                }
                yield answer;
            }
        };
    }

    private static HubException untrusted(InetSocketAddress hub, HubTrust trust, String fingerprint,
            SSLHandshakeException e) {
        if (fingerprint == null || trust.kind() == HubTrust.Kind.ANY) {
            return new HubException("TLS with the hub at " + where(hub) + " failed: " + e.getMessage());
        }
        if (trust.kind() == HubTrust.Kind.PINNED) {
            return new HubException("the hub at " + where(hub) + " presented a certificate with SHA-256 fingerprint "
                    + fingerprint + ", not the pinned one: someone may be posing as the hub, or its certificate"
                    + " changed; check with the hub's owner. Nothing was sent.");
        }
        return new HubException("the hub at " + where(hub) + " presented a certificate this JVM does not trust for"
                + " that address (jacktrip hubs usually have a self-signed one); its SHA-256 fingerprint is "
                + fingerprint + ". If the hub's owner confirms it, pin it with --hub-cert sha256:" + fingerprint
                + " (or --hub-cert FILE, the hub's certificate); --insecure-skip-cert-check connects without"
                + " checking. Nothing was sent.");
    }
}
