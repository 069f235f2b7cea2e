// The identifier conformance vectors replayed through the uniffi Kotlin bindings on the JVM (JNA).
// Also every rule vector through callRule. Usage: java ... VectorsTestKt <tests/vectors folder>

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import kotlin.system.exitProcess
import uniffi.onshi_mobile.IdentifierKindException
import uniffi.onshi_mobile.callRule
import uniffi.onshi_mobile.checkIdentifier
import uniffi.onshi_mobile.identifierKinds
import uniffi.onshi_mobile.ruleNames

private var passed = 0
private var failed = 0

private fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
        println("test $name ... ok")
    } catch (e: Throwable) {
        failed++
        println("test $name ... FAILED\n${e.message}")
    }
}

private fun replayVectors(path: String) {
    val cases = JsonParser.parseString(File(path).readText()).asJsonObject.getAsJsonArray("cases")
    check(cases.size() >= 300) { "expected at least 300 cases, found ${cases.size()}" }
    val mismatches = mutableListOf<String>()
    for ((i, element) in cases.withIndex()) {
        val case = element.asJsonObject
        val expect = case.getAsJsonObject("expect")
        val got = checkIdentifier(case.get("kind").asString, case.get("input").asString)
        val problems = compare(expect, got.valid, got.canonical, got.warningsJa.size, got.errorKind, got.expectedDigit?.toInt())
        if (problems.isNotEmpty()) mismatches += "case $i (${case.get("kind").asString} ${case.get("input")}): $problems"
    }
    check(mismatches.isEmpty()) { mismatches.joinToString("\n") }
}

private fun compare(
    expect: JsonObject, valid: Boolean, canonical: String?, warnings: Int, errorKind: String?, expectedDigit: Int?,
): String {
    val problems = mutableListOf<String>()
    if (expect.get("valid").asBoolean != valid) problems += "valid=$valid"
    if (valid) {
        if (expect.get("canonical").asString != canonical) problems += "canonical=$canonical"
        if (expect.get("warnings").asInt != warnings) problems += "warnings=$warnings"
    } else {
        if (expect.get("error").asString != errorKind) problems += "error=$errorKind"
        val digit = expect.get("expected_digit")?.asInt
        if (digit != expectedDigit) problems += "expected_digit=$expectedDigit"
    }
    return problems.joinToString(", ")
}

// {"ok": …} is compared whole; {"error": code} by the error's code.
private fun replayRules(path: String) {
    val cases = JsonParser.parseString(File(path).readText()).asJsonObject.getAsJsonArray("cases")
    check(cases.size() >= 400) { "expected at least 400 rule cases, found ${cases.size()}" }
    val mismatches = mutableListOf<String>()
    for ((i, element) in cases.withIndex()) {
        val case = element.asJsonObject
        val expect = case.getAsJsonObject("expect")
        val answer = JsonParser.parseString(callRule(case.get("rule").asString, case.get("request").toString())).asJsonObject
        val matches = if (expect.has("ok")) {
            answer.get("ok") == expect.get("ok")
        } else {
            answer.getAsJsonObject("error")?.get("code") == expect.get("error")
        }
        if (!matches) mismatches += "case $i (${case.get("rule").asString}): expected $expect, got $answer"
    }
    check(mismatches.isEmpty()) { mismatches.joinToString("\n") }
}

fun main(args: Array<String>) {
    val vectors = args.firstOrNull() ?: error("usage: VectorsTestKt <tests/vectors folder>")
    test("identifier_vectors_in_kotlin") { replayVectors("$vectors/ids.json") }
    test("rule_vectors_in_kotlin") { replayRules("$vectors/rules.json") }
    test("rules_are_listed") { check(ruleNames().contains("consent.state")) }
    test("unknown_kind_is_a_kotlin_exception") {
        try {
            checkIdentifier("no_such_kind", "1")
            error("no exception thrown")
        } catch (e: IdentifierKindException.Unknown) {
            check(e.kind == "no_such_kind")
        }
    }
    test("card_scripts_in_kotlin") { replayCardScripts("$vectors/card.json") }
    test("lost_tag_is_card_removed") { lostTagIsCardRemoved() }
    test("virtual_card_end_to_end_in_kotlin") { virtualCardEndToEnd() }
    test("kinds_are_listed") { check(identifierKinds().contains("insurer_number")) }
    test("messages_arrive_in_both_languages") {
        val r = checkIdentifier("insurer_number", "01130013")
        check(r.messageJa.contains("検証番号")) { r.messageJa }
        check(r.messageEn == "insurer number 01130013: check digit should be 2") { r.messageEn }
    }
    println("kotlin: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
