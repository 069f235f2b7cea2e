// The JPKI client end to end from Kotlin: a CardTransport written in Kotlin forwards every APDU to a
// demo virtual card (as an Android app forwards to IsoDep), and the JDK's own crypto verifies the
// signature with the card's certificate.

import java.io.ByteArrayInputStream
import java.security.Signature
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import uniffi.onshi_mobile.CardFailure
import uniffi.onshi_mobile.CardToken
import uniffi.onshi_mobile.CardTransport
import uniffi.onshi_mobile.VirtualCard
import uniffi.onshi_mobile.jpkiAuthenticate
import uniffi.onshi_mobile.jpkiProbe

/** Forwards to the virtual card and counts the APDUs. */
class ForwardingTransport(private val card: VirtualCard) : CardTransport {
    var apdus = 0
    override fun transmit(command: ByteArray): ByteArray {
        apdus++
        return card.transmit(command)
    }
}

private fun x509(der: ByteArray) =
    CertificateFactory.getInstance("X.509").generateCertificate(ByteArrayInputStream(der)) as X509Certificate

fun virtualCardEndToEnd() {
    val card = VirtualCard.issue(2026uL, 0u, "20261121")
    val transport = ForwardingTransport(card)

    val probe = jpkiProbe(transport)
    check(probe.token == CardToken.CARD && probe.triesLeft?.toInt() == 3 && !probe.locked) { "$probe" }
    check(transport.apdus == 5) { "probe took ${transport.apdus}" }

    try {
        jpkiAuthenticate(transport, "9999".toByteArray(), byteArrayOf(1), false, false)
        error("a wrong PIN was accepted")
    } catch (e: CardFailure.Card) {
        check(e.code == "PIN_WRONG" && e.triesLeft?.toInt() == 2) { "${e.code} ${e.triesLeft}" }
    }

    val challenge = "onshi kotlin challenge".toByteArray()
    val pin = "1234".toByteArray()
    transport.apdus = 0
    val auth = jpkiAuthenticate(transport, pin, challenge, false, false)
    pin.fill(0)
    check(transport.apdus <= 13) { "full authentication took ${transport.apdus}" }
    val certificate = x509(auth.certificate ?: error("no certificate"))
    check(certificate.issuerX500Principal.name.contains("O=JPKI-TEST")) { certificate.issuerX500Principal.name }
    certificate.verify(x509(card.rootCertificate()).publicKey)
    val verifier = Signature.getInstance("SHA256withRSA")
    verifier.initVerify(certificate.publicKey)
    verifier.update(challenge)
    check(verifier.verify(auth.signature)) { "the JDK did not verify the card's signature" }

    transport.apdus = 0
    val again = jpkiAuthenticate(transport, "1234".toByteArray(), challenge, false, true)
    check(again.certificate == null && transport.apdus == 6) { "known certificate took ${transport.apdus}" }
}
