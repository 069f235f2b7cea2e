// The JPKI client through the uniffi Kotlin bindings: a CardTransport written in Kotlin (as an Android
// app writes one over IsoDep.transceive) plays every card script of tests/vectors/card.json.

import com.google.gson.JsonElement
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import uniffi.onshi_mobile.CardFailure
import uniffi.onshi_mobile.CardTransport
import uniffi.onshi_mobile.jpkiAuthenticate
import uniffi.onshi_mobile.jpkiProbe
import uniffi.onshi_mobile.jpkiReadCertificate
import uniffi.onshi_mobile.kenmenReadBasicInfo

private fun hex(bytes: ByteArray) = bytes.joinToString("") { "%02X".format(it) }

private fun unhex(s: String) = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

/** Plays the card's side of one scripted case, noting every command that differs from the script. */
class ScriptTransport(private val exchanges: List<Pair<String, String>>) : CardTransport {
    private var next = 0
    val problems = mutableListOf<String>()
    val finished get() = next == exchanges.size

    override fun transmit(command: ByteArray): ByteArray {
        val (expected, response) = exchanges.getOrNull(next) ?: ("(none)" to "6D00")
        if (hex(command) != expected) problems += "command $next: sent ${hex(command)}, expected $expected"
        next++
        return unhex(response)
    }
}

private fun ok(vararg pairs: Pair<String, Any?>): JsonObject {
    val inner = JsonObject()
    for ((k, v) in pairs) {
        when (v) {
            null -> inner.add(k, JsonNull.INSTANCE)
            is JsonElement -> inner.add(k, v)
            is Number -> inner.addProperty(k, v)
            else -> inner.addProperty(k, v.toString())
        }
    }
    return JsonObject().apply { add("ok", inner) }
}

/** Runs one case through the typed Kotlin API and returns its outcome in the vectors' JSON shape. */
private fun outcome(case: JsonObject, transport: CardTransport): JsonObject {
    val input = case.getAsJsonObject("input")
    fun str(key: String) = input.get(key)?.asString ?: ""
    val allowLastTry = str("last_try") == "allow"
    return try {
        when (val procedure = case.get("procedure").asString) {
            "probe" -> {
                val p = jpkiProbe(transport)
                val pin = JsonObject()
                when {
                    p.locked -> pin.addProperty("state", "locked")
                    p.triesLeft == null -> pin.addProperty("state", "verified")
                    else -> { pin.addProperty("state", "tries_left"); pin.addProperty("tries_left", p.triesLeft!!.toInt()) }
                }
                ok("token" to p.token.name.lowercase(), "pin" to pin)
            }
            "authenticate" -> {
                val a = jpkiAuthenticate(transport, str("pin").toByteArray(), unhex(str("challenge")), allowLastTry,
                    str("certificate") == "known")
                ok("signature" to hex(a.signature), "certificate" to a.certificate?.let(::hex))
            }
            "read_certificate" -> ok("certificate" to hex(jpkiReadCertificate(transport)))
            "read_basic_info" -> {
                val b = kenmenReadBasicInfo(transport, str("pin").toByteArray(), allowLastTry)
                ok("name" to b.name, "address" to b.address, "birth_date" to b.birthDate, "sex" to b.sex)
            }
            else -> error("unknown procedure $procedure")
        }
    } catch (e: CardFailure.Card) {
        val error = JsonObject()
        error.addProperty("code", e.code)
        e.triesLeft?.let { error.addProperty("tries_left", it.toInt()) }
        JsonObject().apply { add("error", error) }
    }
}

private fun matches(expect: JsonObject, got: JsonObject): Boolean {
    if (expect.has("ok")) return got.get("ok") == expect.get("ok")
    val e = expect.getAsJsonObject("error")
    val g = got.getAsJsonObject("error") ?: return false
    return g.get("code") == e.get("code") && (!e.has("tries_left") || g.get("tries_left") == e.get("tries_left"))
}

fun replayCardScripts(path: String) {
    val cases = JsonParser.parseString(File(path).readText()).asJsonObject.getAsJsonArray("cases")
    check(cases.size() >= 40) { "expected at least 40 card scripts, found ${cases.size()}" }
    val mismatches = mutableListOf<String>()
    for (element in cases) {
        val case = element.asJsonObject
        val exchanges = case.getAsJsonArray("exchanges").map { it.asJsonArray[0].asString to it.asJsonArray[1].asString }
        val transport = ScriptTransport(exchanges)
        val got = outcome(case, transport)
        val problems = transport.problems.toMutableList()
        if (!matches(case.getAsJsonObject("expect"), got)) problems += "outcome $got".take(240)
        if (!transport.finished && problems.isEmpty()) problems += "stopped early"
        if (problems.isNotEmpty()) mismatches += "${case.get("name").asString}: ${problems.joinToString("; ")}"
    }
    check(mismatches.isEmpty()) { mismatches.joinToString("\n") }
}

/** A transport that throws like a lost tag: the client reports CARD_REMOVED with both languages. */
fun lostTagIsCardRemoved() {
    val lost = object : CardTransport {
        override fun transmit(command: ByteArray): ByteArray = throw uniffi.onshi_mobile.CardTransportException.CardRemoved()
    }
    try {
        jpkiProbe(lost)
        error("no exception")
    } catch (e: CardFailure.Card) {
        check(e.code == "CARD_REMOVED") { e.code }
        check(e.messageJa.contains("カード")) { e.messageJa }
    }
}
