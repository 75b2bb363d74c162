import XCTest
import Foundation
@testable import Expand

final class Vars: ArithContext {
    var v: [String: String]
    var readonly: Set<String> = []
    var sets = 0
    let arithCache: ArithCache? = ArithCache()
    init(_ v: [String: String]) { self.v = v }
    func arithGet(_ name: String) -> String? { v[name] }
    func arithSet(_ name: String, _ value: Int) throws {
        if readonly.contains(name) { throw ArithError(message: "\(name): readonly variable") }
        sets += 1
        v[name] = String(value)
    }
}

final class NoCacheVars: ArithContext {
    var v: [String: String] = [:]
    func arithGet(_ name: String) -> String? { v[name] }
    func arithSet(_ name: String, _ value: Int) throws { v[name] = String(value) }
}

func setupVars() -> Vars {
    Vars(["a": "3", "b": "4", "x": "y", "y": "z", "z": "7", "w": " 5 ", "r": "1+", "u": "a+b", "s": "2*", "q": "",
          "m": "-9223372036854775808", "big": "9223372036854775807", "o": "010", "h": "0x1f", "self": "self",
          "t1": "t2", "t2": "t1", "e": "a=9"])
}

final class ArithTests: XCTestCase {
    func testTable() {
        for (expr, want, err, a, b) in arithCases {
            let ctx = setupVars()
            do {
                let got = try evaluateArithmetic(expr, ctx)
                XCTAssertEqual(got, want, "$((\(expr)))")
                XCTAssertNil(err, "$((\(expr))) should fail with \(err ?? "")")
                XCTAssertEqual(ctx.v["a"], a, "a after $((\(expr)))")
                XCTAssertEqual(ctx.v["b"], b, "b after $((\(expr)))")
            } catch let e as ArithError {
                XCTAssertEqual(e.description, err, "$((\(expr)))")
                XCTAssertNil(want, "$((\(expr))) unexpectedly failed: \(e)")
            } catch {
                XCTFail("unexpected error \(error)")
            }
        }
    }

    func testTableTwiceWithCacheAndWithout() throws {
        // cached programs must behave the same on re-use
        let ctx = setupVars()
        for _ in 0..<3 { XCTAssertEqual(try evaluateArithmetic("a++ + x*2", ctx), ctx.v["a"].map { Int($0)! - 1 + 14 }) }
        let nc = NoCacheVars()
        nc.v["i"] = "41"
        XCTAssertEqual(try evaluateArithmetic("i+=1", nc), 42)
        XCTAssertEqual(nc.v["i"], "42")
    }

    func testRecursionLimitMatchesBash() throws {
        // bash: v1 -> v2 -> ... -> v(n+1)=5 works for n=1022, fails for n=1023 naming "v1024"
        func chain(_ n: Int) -> Vars {
            var d: [String: String] = [:]
            for i in 1...n { d["v\(i)"] = "v\(i + 1)" }
            d["v\(n + 1)"] = "5"
            return Vars(d)
        }
        XCTAssertEqual(try evaluateArithmetic("v1", chain(1022)), 5)
        XCTAssertThrowsError(try evaluateArithmetic("v1", chain(1023))) { e in
            XCTAssertEqual((e as? ArithError)?.description,
                           "v1024: expression recursion level exceeded (error token is \"v1024\")")
        }
        let ctx = Vars(["a": "1+a"])
        XCTAssertThrowsError(try evaluateArithmetic("a", ctx)) { e in
            XCTAssertEqual((e as? ArithError)?.description,
                           "1+a: expression recursion level exceeded (error token is \"a\")")
        }
    }

    func testDeepNestingDoesNotCrash() {
        let ctx = Vars([:])
        let deep = String(repeating: "(", count: 900) + "1" + String(repeating: ")", count: 900)
        XCTAssertEqual(try evaluateArithmetic(deep, ctx), 1)
        let edge = String(repeating: "(", count: 999) + "-1" + String(repeating: ")", count: 999)
        XCTAssertEqual(try evaluateArithmetic(edge, ctx), -1)
        let over = String(repeating: "(", count: 1001) + "1" + String(repeating: ")", count: 1001)
        XCTAssertThrowsError(try evaluateArithmetic(over, ctx))
        let tooDeep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try evaluateArithmetic(tooDeep, ctx))
        let negs = String(repeating: "- ", count: 100_000) + "1"
        XCTAssertThrowsError(try evaluateArithmetic(negs, ctx))
        // long flat chains are fine (no recursion in evaluation)
        let sum = "1" + String(repeating: "+1", count: 100_000)
        XCTAssertEqual(try evaluateArithmetic(sum, ctx), 100_001)
        let assigns = (0..<500).map { "v\($0)=" }.joined() + "7"
        XCTAssertEqual(try evaluateArithmetic(assigns, ctx), 7)
        XCTAssertEqual(ctx.v["v499"], "7")
    }

    func testReadonlyErrorPropagates() {
        let ctx = Vars(["r": "1"])
        ctx.readonly = ["r"]
        XCTAssertThrowsError(try evaluateArithmetic("r=2", ctx)) { e in
            XCTAssertEqual((e as? ArithError)?.message, "r: readonly variable")
        }
        XCTAssertThrowsError(try evaluateArithmetic("r++", ctx))
        XCTAssertEqual(try evaluateArithmetic("0 && (r=2)", ctx), 0)
    }

    func testSubscriptsPassedAsNames() throws {
        let ctx = Vars(["a[3]": "10", "i": "1"])
        XCTAssertEqual(try evaluateArithmetic("a[i+2]", ctx), 10)
        XCTAssertEqual(try evaluateArithmetic("a[1+2] += 5", ctx), 15)
        XCTAssertEqual(ctx.v["a[3]"], "15")
        XCTAssertEqual(try evaluateArithmetic("a[i]++", ctx), 0)
        XCTAssertEqual(ctx.v["a[1]"], "1")
        XCTAssertEqual(try evaluateArithmetic("a[2]=a[3]*2", ctx), 30)
        XCTAssertEqual(ctx.v["a[2]"], "30")
        // bash accepts `a[]` (error message, value 0); aegish reports an error
        XCTAssertThrowsError(try evaluateArithmetic("a[]", ctx))
    }

    func testErrorsAreCachedToo() {
        let ctx = Vars([:])
        for _ in 0..<2 {
            XCTAssertThrowsError(try evaluateArithmetic("1+", ctx)) { e in
                XCTAssertEqual((e as? ArithError)?.description, "1+: syntax error: operand expected (error token is \"+\")")
            }
        }
        XCTAssertEqual(ctx.arithCache?.count, 1)
    }

    func testMicrobenchmark() throws {
        // Simulates `i=$((i+1))` 100,000 times; the baseline loop does the same variable traffic
        // without evaluating, so the difference is the cost of evaluateArithmetic itself.
        let ctx = Vars(["i": "0"])
        let n = 100_000
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n {
            let v = (Int(ctx.arithGet("i")!) ?? 0) + 1
            ctx.v["i"] = String(v)
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        ctx.v["i"] = "0"
        for _ in 0..<n {
            let v = try evaluateArithmetic("i+1", ctx)
            ctx.v["i"] = String(v)
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        XCTAssertEqual(ctx.v["i"], String(n))
        for _ in 0..<n { _ = try evaluateArithmetic("i < 1000000 && (i % 7 == 3 || i*2 > 5)", ctx) }
        let t3 = DispatchTime.now().uptimeNanoseconds
        let nc = NoCacheVars(); nc.v["i"] = "0"
        for _ in 0..<(n / 10) { _ = try evaluateArithmetic("i+1", nc) }
        let t4 = DispatchTime.now().uptimeNanoseconds
        let base = Double(t1 - t0) / Double(n)
        print(String(format: "arith: baseline loop %.0f ns; $((i+1)) %.0f ns/iter (net %.0f); compound expr %.0f ns; uncached $((i+1)) %.0f ns",
                     base, Double(t2 - t1) / Double(n), Double(t2 - t1) / Double(n) - base,
                     Double(t3 - t2) / Double(n), Double(t4 - t3) / Double(n / 10)))
    }
}
