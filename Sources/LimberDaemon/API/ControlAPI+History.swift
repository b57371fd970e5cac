import Foundation
import LimberAPI
import Logging
import LimberCore
import LimberConfig
import LimberHistory
import Systemd

/// The methods that read or write the history database. Each checks its
/// arguments on the loop, hands the database work to the history writer
/// (HistoryWriter.swift) and answers when the writer does: the loop never
/// waits for the disk.
extension ControlAPI {
    /// A history error on its way back from the writer.
    struct HistoryFailure: Error, Sendable {
        let message: String
    }

    /// How a history method answers, once, on the loop thread.
    typealias HistoryAnswer = (Result<BusValue, BusMethodError>) -> Void

    /// Runs `body` (which checks the arguments and hands work to the
    /// writer) with an answer that replies to `reply`; what it throws
    /// fails the call.
    static func answering(_ reply: MethodReply, _ body: (@escaping HistoryAnswer) throws -> Void) {
        let answer: HistoryAnswer = { result in
            switch result {
            case .success(let value): reply.succeed([value])
            case .failure(let error): reply.fail(error)
            }
        }
        do { try body(answer) } catch let e as BusMethodError { reply.fail(e) } catch {
            reply.fail(BusMethodError(name: LimberBus.ErrorName.failed, message: "\(error)"))
        }
    }

    func requireHistory() throws -> HistoryWriter {
        guard let h = service.history else {
            throw BusMethodError.limber(LimberBus.ErrorName.historyUnavailable,
                                        tr("the history database is not available (see journalctl --user -u limberd)"))
        }
        return h
    }

    func checkIn(_ args: [BusValue], answer: @escaping HistoryAnswer) throws {
        guard case .byte(let pain) = args[0], pain <= 10 else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument, tr("pain must be 0 to 10"))
        }
        let reachText = args[1].stringValue ?? ""
        var reach: LegReach? = nil
        if !reachText.isEmpty {
            guard let r = LegReach(rawValue: reachText) else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            tr("reach {text} is not one of {list}", ["text": Self.quoted(reachText), "list": LegReach.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            reach = r
        }
        var flags: [RedFlag] = []
        for f in args[2].stringArrayValue ?? [] {
            guard let flag = RedFlag(rawValue: f) else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            tr("red flag {text} is not one of {list}", ["text": Self.quoted(f), "list": RedFlag.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            flags.append(flag)
        }
        // A red flag stops every exercise reminder at once, history or not.
        if !flags.isEmpty { service.raiseRedFlag(flags, source: "cli") }
        let history = try requireHistory()
        let checkIn = CheckIn(at: now.wall, pain: Int(pain), reach: reach, redFlags: flags, note: args[3].stringValue ?? "", source: .cli)
        // Phases that end by check-ins move on; worsening offers to go back.
        service.sendPhaseEvent(.checkIn(pain: Int(pain), reach: reach?.rank ?? 0), source: "check-ins")
        history.run({ $0.checkIn(checkIn) }) { r in answer(.success(Self.checkInReply(r))) }
    }

    static func checkInReply(_ r: CheckInResponse) -> BusValue {
        .vardict([
            "id": .int64(r.id ?? -1),
            "urgent": .bool(r.urgent),
            "advice": .strings(r.advice),
            "red_flags": .strings(r.redFlags.map(\.rawValue)),
            "red_flags_in_note": .strings(r.redFlagsInNote.map(\.rawValue)),
            "reach_change": .string(r.reachChange?.rawValue ?? ""),
            "store_error": .string(r.storeError ?? ""),
        ])
    }

    var timeZone: TimeZone { TimeZone(identifier: service.engine.state.timeZoneID) ?? .current }

    func stats(_ text: String, answer: @escaping HistoryAnswer) throws {
        let wall = now.wall
        let period: StatsPeriod
        switch text {
        case "week", "": period = .week
        case "month": period = .month
        default:
            let today = Day(wall, in: timeZone)
            guard let day = Day(text), day <= today, day.days(to: today) <= Self.maxStatsDays else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            tr("period {text} is not week, month or a day YYYY-MM-DD within the last {n} days", ["text": Self.quoted(text), "n": String(Self.maxStatsDays)]))
            }
            period = .since(day)
        }
        let history = try requireHistory()
        // Today's activity so far, not only up to the last presence change.
        // (written first: the writer runs in order).
        service.activity.flush(at: service.clock())
        let zone = timeZone
        history.run({ store -> Result<String, HistoryFailure> in
            do {
                let stats = try store.stats(period, now: wall, timeZone: zone)
                return .success(String(decoding: try stats.json(), as: UTF8.self))
            } catch {
                return .failure(HistoryFailure(message: "\(error)"))
            }
        }) { result in
            switch result {
            case .success(let json): answer(.success(.string(json)))
            case .failure(let f):
                answer(.failure(.limber(LimberBus.ErrorName.historyUnavailable, tr("cannot read the history: {error}", ["error": f.message]))))
            }
        }
    }

    func forgetHistory(answer: @escaping HistoryAnswer) throws {
        let history = try requireHistory()
        let log = self.log
        history.run({ store -> Result<PruneResult, HistoryFailure> in
            do { return .success(try store.forgetAll()) } catch { return .failure(HistoryFailure(message: "\(error)")) }
        }) { result in
            switch result {
            case .success(let r):
                log.notice("history forgotten", metadata: ["outcomes": "\(r.outcomes)", "check-ins": "\(r.checkIns)"])
                answer(.success(.vardict([
                    "outcomes": .uint32(UInt32(clamping: r.outcomes)),
                    "check_ins": .uint32(UInt32(clamping: r.checkIns)),
                    "activity_days": .uint32(UInt32(clamping: r.activityDays)),
                ])))
            case .failure(let f):
                answer(.failure(.limber(LimberBus.ErrorName.historyUnavailable, tr("cannot delete the history: {error}", ["error": f.message]))))
            }
        }
    }
}
