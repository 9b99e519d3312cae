//! The daily desk, told as a service manager would tell it. The business is the one in
//! `desk_fixture`: three customers of a Chicago heating company, Tuesday 09:00.

use retention::desk::{Agenda, Book};
use retention::model::Rule;
use retention::risk::Band;
use serde_json::json;

use crate::desk_fixture::{agenda_of, book, book_json, now, read};

fn signals(agenda: &Agenda, account: &str) -> Vec<&'static str> {
    agenda
        .at_risk
        .iter()
        .find(|r| r.account.as_str() == account)
        .map(|r| r.signals.iter().map(|s| s.code.code()).collect())
        .unwrap_or_default()
}

fn touches_today(agenda: &Agenda, rep: &str, account: &str) -> Vec<Vec<Rule>> {
    agenda
        .touches
        .iter()
        .filter(|g| g.rep.as_ref().is_some_and(|r| r.as_str() == rep))
        .flat_map(|g| &g.items)
        .filter(|i| i.account.as_str() == account)
        .map(|i| i.rules.clone())
        .collect()
}

#[test]
fn a_voicemail_not_returned_since_friday_is_broken_and_wears_on_the_customer() {
    let agenda = agenda_of(&book_json());
    let broken: Vec<_> = agenda
        .promises
        .broken
        .iter()
        .map(|l| (l.account.as_str(), l.verdict.promise.as_str()))
        .collect();
    assert_eq!(broken, [("a-2", "callback:i-3")]);
    // The risk scorer reads the ledger's record of the customer instead of redoing it (K5).
    let s = signals(&agenda, "a-2");
    assert!(s.contains(&"risk.broken_promises"), "{s:?}");
    assert!(s.contains(&"risk.slow_callbacks"), "{s:?}");
    assert_eq!(agenda.promises.business.broken, 1);
}

#[test]
fn a_callback_returned_in_time_leaves_no_broken_promise() {
    let mut json = book_json();
    json["interactions"].as_array_mut().unwrap().push(json!({
        "id": "i-6", "account": "a-2", "person": "p-2", "at": "2026-11-20T22:10:00Z",
        "channel": "phone", "direction": "outbound",
        "initiated_by": {"kind": "staff", "user": "u-ben"}, "outcome": "connected"}));
    let agenda = agenda_of(&json);
    assert!(
        agenda.promises.broken.is_empty(),
        "{:?}",
        agenda.promises.broken
    );
    assert!(!signals(&agenda, "a-2").contains(&"risk.broken_promises"));
}

#[test]
fn a_customer_untouched_for_29_days_is_due_a_touch_today_on_the_reps_list() {
    let agenda = agenda_of(&book_json());
    let items = touches_today(&agenda, "u-dana", "a-1");
    assert!(
        items.iter().any(|rules| rules.contains(&Rule::C1)),
        "{items:?}"
    );
    // Not on another rep's list.
    assert!(touches_today(&agenda, "u-ben", "a-1").is_empty());
}

#[test]
fn a_customer_spoken_to_ten_days_ago_is_not_due_the_28_day_touch() {
    let mut json = book_json();
    json["interactions"][0]["at"] = json!("2026-11-14T15:00:00Z");
    let agenda = agenda_of(&json);
    let items = touches_today(&agenda, "u-dana", "a-1");
    assert!(
        !items.iter().any(|rules| rules.contains(&Rule::C1)),
        "{items:?}"
    );
}

#[test]
fn a_job_on_hold_without_word_to_the_customer_is_listed_and_counts_against_the_customer() {
    let agenda = agenda_of(&book_json());
    let line = agenda
        .orders
        .iter()
        .find(|l| l.report.order.as_str() == "o-1")
        .expect("the job on hold is on the agenda");
    assert_eq!(line.account.as_str(), "a-2");
    let codes: Vec<_> = line.report.findings.iter().map(|f| f.code.code()).collect();
    assert!(codes.contains(&"hold.customer_not_told"), "{codes:?}");
    assert!(signals(&agenda, "a-2").contains(&"risk.hanging_orders"));
}

#[test]
fn a_closed_job_does_not_clutter_the_orders_list() {
    let agenda = agenda_of(&book_json());
    assert!(
        agenda
            .orders
            .iter()
            .all(|l| l.report.order.as_str() != "o-2")
    );
}

#[test]
fn what_the_technician_saw_reaches_sales_while_it_is_fresh() {
    let agenda = agenda_of(&book_json());
    assert_eq!(agenda.opportunities.len(), 1);
    assert_eq!(agenda.opportunities[0].order.as_str(), "o-2");

    // Two weeks old: gone from the agenda when the business looks back one week only.
    let mut json = book_json();
    json["policies"] = json!({"desk": {"opportunity_lookback": {"days": 7}}});
    assert!(agenda_of(&json).opportunities.is_empty());
}

#[test]
fn customers_at_risk_come_by_value_at_risk() {
    let agenda = agenda_of(&book_json());
    assert!(!agenda.at_risk.is_empty());
    let values: Vec<_> = agenda
        .at_risk
        .iter()
        .map(|r| {
            r.value_at_risk
                .expect("every account has an annual value")
                .amount
        })
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    assert!(agenda.at_risk.iter().all(|r| r.band >= Band::Watch));
    let bands = agenda.risk_bands;
    assert_eq!(
        bands.healthy + bands.watch + bands.at_risk + bands.critical,
        agenda.read.accounts
    );
}

#[test]
fn the_next_service_agreed_keeps_the_customer_off_the_c8_signal() {
    let agenda = agenda_of(&book_json());
    assert!(!signals(&agenda, "a-3").contains(&"risk.no_next_service"));

    let mut json = book_json();
    json["orders"][1]
        .as_object_mut()
        .unwrap()
        .remove("next_service");
    let agenda = agenda_of(&json);
    assert!(
        signals(&agenda, "a-3").contains(&"risk.no_next_service"),
        "{:?}",
        signals(&agenda, "a-3")
    );
}

#[test]
fn a_business_that_only_flags_critical_customers_lists_fewer() {
    let all = agenda_of(&book_json());
    let mut json = book_json();
    json["policies"] = json!({"desk": {"at_risk_from": "critical"}});
    let critical = agenda_of(&json);
    assert!(critical.at_risk.iter().all(|r| r.band == Band::Critical));
    assert!(critical.at_risk.len() < all.at_risk.len());
    // The bands are counted the same either way.
    assert_eq!(critical.risk_bands, all.risk_bands);
}

#[test]
fn a_business_that_allows_four_days_for_callbacks_has_not_broken_fridays_yet() {
    let mut json = book_json();
    json["policies"] = json!({"promises": {"callback_within": {"hours": 96}}});
    let agenda = agenda_of(&json);
    assert!(
        agenda.promises.broken.is_empty(),
        "{:?}",
        agenda.promises.broken
    );
}

#[test]
fn an_empty_book_has_an_empty_agenda() {
    let mut json = book_json();
    for list in ["accounts", "people", "interactions", "orders"] {
        json[list] = json!([]);
    }
    let agenda = agenda_of(&json);
    assert!(agenda.touches.is_empty() && agenda.orders.is_empty() && agenda.at_risk.is_empty());
    assert_eq!(agenda.read.total(), 0);
    assert_eq!(agenda.today.to_string(), "2026-11-24");
}

#[test]
fn the_agenda_reads_back_from_its_own_json() {
    let agenda = agenda_of(&book_json());
    let back: Agenda = serde_json::from_str(&agenda.to_json()).unwrap();
    assert_eq!(back, agenda);
    assert_eq!(back.to_json(), agenda.to_json());
}

#[test]
fn the_book_reads_back_from_its_own_json() {
    let book = book();
    let back = Book::from_json(&book.to_json()).unwrap();
    assert_eq!(back.to_json(), book.to_json());
    assert_eq!(back.counts(), book.counts());
}

#[test]
fn the_agenda_is_the_same_whatever_order_the_lists_come_in() {
    let forward = agenda_of(&book_json()).to_json();
    let mut json = book_json();
    for list in ["accounts", "people", "interactions", "orders"] {
        json[list].as_array_mut().unwrap().reverse();
    }
    // Built in Rust, unsorted: the desk sorts a copy itself.
    let book: Book = serde_json::from_value(json).unwrap();
    assert!(!book.is_sorted());
    assert_eq!(book.agenda(now()).unwrap().to_json(), forward);
}

/// A closed tune-up for `account`, completed on `day` (`YYYY-MM-DD`) at 10:00 Chicago.
fn tune_up(id: &str, account: &str, day: &str) -> serde_json::Value {
    let at = |h: u32| format!("{day}T{h:02}:00:00Z");
    json!({"id": id, "account": account, "service_type": "tune_up",
           "first_contact_at": at(14), "intake": {"request": "Seasonal tune-up"},
           "status_history": [{"stage": "scheduled", "at": at(14)},
                              {"stage": "in_progress", "at": at(15)},
                              {"stage": "completed", "at": at(16)},
                              {"stage": "closed", "at": at(17)}]})
}

/// The published CDNOW BG/NBD parameters (Fader, Hardie and Lee 2005), in weeks.
fn cdnow_model() -> serde_json::Value {
    json!({"kind": "given", "variant": "bg_nbd",
           "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}})
}

/// The fixture with CDNOW's purchase model given, and Oak Ridge (`a-1`) with spring and
/// fall tune-ups for two years and nothing since autumn 2024.
fn oak_ridge_stopped() -> serde_json::Value {
    let mut json = book_json();
    json["policies"] = json!({"desk": {"purchase_model": cdnow_model()}});
    let orders = json["orders"].as_array_mut().unwrap();
    for (i, day) in ["2023-04-10", "2023-10-09", "2024-04-08", "2024-10-07"]
        .iter()
        .enumerate()
    {
        orders.push(tune_up(&format!("o-h{i}"), "a-1", day));
    }
    json
}

#[test]
fn a_customer_whose_twice_yearly_service_stopped_is_flagged_by_the_purchase_model() {
    let mut json = oak_ridge_stopped();
    let orders = json["orders"].as_array_mut().unwrap();
    // Lakeside: the same rhythm, kept up to this autumn.
    for (i, day) in ["2025-04-14", "2025-10-13", "2026-04-13", "2026-10-12"]
        .iter()
        .enumerate()
    {
        orders.push(tune_up(&format!("o-k{i}"), "a-2", day));
    }
    let agenda = agenda_of(&json);
    assert_eq!(
        serde_json::to_value(&agenda.purchase_model).unwrap()["kind"],
        "given"
    );
    let p_alive = |account: &str| {
        agenda
            .at_risk
            .iter()
            .find(|r| r.account.as_str() == account)
            .and_then(|r| r.p_alive)
    };
    let stopped = p_alive("a-1").expect("Oak Ridge has a purchase history");
    let regular = p_alive("a-2").expect("Lakeside has a purchase history");
    assert!(stopped < regular, "{stopped} vs {regular}");
    assert!(
        signals(&agenda, "a-1").contains(&"risk.low_p_alive"),
        "{:?}",
        signals(&agenda, "a-1")
    );
    assert!(!signals(&agenda, "a-2").contains(&"risk.low_p_alive"));
}

#[test]
fn a_book_too_small_to_fit_a_model_says_so_and_is_scored_without_it() {
    // The default policy fits on the book; the fixture has one completed order.
    let agenda = agenda_of(&book_json());
    let used = serde_json::to_value(&agenda.purchase_model).unwrap();
    assert_eq!(used["kind"], "not_fitted", "{used}");
    assert!(
        used["code"].as_str().unwrap().starts_with("risk."),
        "{used}"
    );
    assert!(agenda.at_risk.iter().all(|r| r.p_alive.is_none()));
}

#[test]
fn a_customer_who_cancels_this_week_is_listed_among_changed_plans() {
    let mut json = book_json();
    json["promises"] = json!([
        {"id": "pr-1", "kind": {"kind": "arrival_window"}, "made_by": {"kind": "staff", "user": "u-ben"},
         "account": "a-2", "person": "p-2", "made_at": "2026-11-16T15:00:00Z",
         "due": {"kind": "window", "earliest": "2026-11-27T14:00:00Z", "latest": "2026-11-27T16:00:00Z"}},
        {"id": "pr-2", "kind": {"kind": "quote_by"}, "made_by": {"kind": "staff", "user": "u-dana"},
         "account": "a-3", "made_at": "2026-10-01T15:00:00Z",
         "due": {"kind": "at", "at": "2026-10-09T22:00:00Z"}}
    ]);
    json["promise_events"] = json!([
        {"promise": "pr-1", "at": "2026-11-23T17:00:00Z", "event": {"kind": "cancelled_by_customer"}},
        // A cancellation six weeks ago is history, not today's business.
        {"promise": "pr-2", "at": "2026-10-05T17:00:00Z", "event": {"kind": "cancelled_by_customer"}}
    ]);
    let agenda = agenda_of(&json);
    let changed: Vec<_> = agenda
        .promises
        .changed
        .iter()
        .map(|l| {
            (
                l.account.as_str(),
                l.verdict.promise.as_str(),
                l.verdict.rule,
            )
        })
        .collect();
    assert_eq!(changed, [("a-2", "pr-1", Rule::P5)]);
}

/// What an agenda says, by id, without the positions of records in the book (which
/// differ between a book and its parts).
fn by_id(agenda: &Agenda) -> Vec<String> {
    let mut out = Vec::new();
    for g in &agenda.touches {
        for i in &g.items {
            out.push(format!("touch {:?} {} {}", g.rep, i.key, i.planned_on));
        }
    }
    for l in &agenda.orders {
        let codes: Vec<_> = l.report.findings.iter().map(|f| f.code.code()).collect();
        out.push(format!("order {} {codes:?}", l.report.order));
    }
    let p = &agenda.promises;
    for (list, lines) in [
        ("overdue", &p.overdue),
        ("soon", &p.due_soon),
        ("broken", &p.broken),
        ("changed", &p.changed),
    ] {
        for l in lines {
            out.push(format!(
                "{list} {} {}",
                l.verdict.promise,
                l.verdict.code.code()
            ));
        }
    }
    for r in &agenda.at_risk {
        let codes: Vec<_> = r
            .signals
            .iter()
            .map(|s| (s.code.code(), s.contribution))
            .collect();
        out.push(format!(
            "risk {} {} {} {codes:?}",
            r.account, r.score, r.band
        ));
    }
    for o in &agenda.opportunities {
        out.push(format!("opportunity {} {}", o.order, o.note));
    }
    out.sort();
    out
}

#[test]
fn a_book_split_by_account_gives_each_part_the_whole_books_lines_for_its_accounts() {
    let mut json = book_json();
    json["policies"] = json!({"desk": {"purchase_model": {"kind": "none"}}});
    let whole = read(&json);
    let expected = by_id(&whole.agenda(now()).unwrap());
    for parts in [1, 2, 3, 5] {
        let books = whole.split(parts);
        // At most one part per account: the fixture has three.
        assert_eq!(books.len(), parts.min(3));
        assert_eq!(
            books.iter().map(|b| b.counts().total()).sum::<usize>(),
            whole.counts().total()
        );
        let mut got: Vec<String> = books
            .iter()
            .flat_map(|b| by_id(&b.agenda(now()).unwrap()))
            .collect();
        got.sort();
        assert_eq!(got, expected, "{parts} parts");
        for (i, b) in books.iter().enumerate() {
            assert!(
                b.accounts
                    .iter()
                    .all(|a| Book::part_of(a.id.as_str(), books.len()) == i)
            );
        }
    }
}

fn thank_you_notes(agenda: &Agenda) -> Vec<&str> {
    agenda
        .touches
        .iter()
        .flat_map(|g| &g.items)
        .filter(|i| {
            i.obligations
                .iter()
                .any(|o| o.code == retention::cadence::ObligationCode::ThankYouNote)
        })
        .map(|i| i.account.as_str())
        .collect()
}

#[test]
fn a_new_customers_first_job_earns_a_thank_you_note_an_old_customers_does_not() {
    // Maple Street Dental has been a customer since 2019: the fall tune-up is not its
    // first order, only the first one the book holds.
    let agenda = agenda_of(&book_json());
    assert!(!thank_you_notes(&agenda).contains(&"a-3"));

    // The same job for a customer who signed up this month is their first (C6).
    let mut json = book_json();
    json["accounts"][2]["customer_since"] = json!("2026-10-25");
    let agenda = agenda_of(&json);
    assert_eq!(thank_you_notes(&agenda), ["a-3"]);
}

#[test]
fn phone_tag_that_ended_a_year_ago_is_not_todays_business() {
    let mut json = book_json();
    let interactions = json["interactions"].as_array_mut().unwrap();
    for (i, at) in [
        "2025-09-01T15:00:00Z",
        "2025-09-03T15:00:00Z",
        "2025-09-05T15:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        interactions.push(
            json!({"id": format!("i-t{i}"), "account": "a-1", "person": "p-1",
            "at": at, "channel": "phone", "direction": "outbound",
            "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "no_answer"}),
        );
    }
    interactions.push(json!({"id": "i-t9", "account": "a-1", "person": "p-1",
        "at": "2025-09-08T15:00:00Z", "channel": "phone", "direction": "outbound",
        "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "connected"}));
    let agenda = agenda_of(&json);
    assert!(
        agenda.promises.tag_chains.is_empty(),
        "{:?}",
        agenda.promises.tag_chains
    );
    // The ledger still counts it in the customer's record.
    assert!(agenda.promises.business.tag_chains >= 1);
}

#[test]
fn a_touch_about_an_order_points_at_the_order_in_the_book() {
    // Without its next service, Maple Street's fall tune-up (the book's second order, the
    // only completed one the planner is given) owes a plan for the next visit (C8).
    let mut json = book_json();
    json["orders"][1]
        .as_object_mut()
        .unwrap()
        .remove("next_service");
    let agenda = agenda_of(&json);
    let plan_it = agenda
        .touches
        .iter()
        .flat_map(|g| &g.items)
        .flat_map(|i| &i.obligations)
        .find(|o| o.code == retention::cadence::ObligationCode::PlanNextService)
        .expect("a plan for the next service is due");
    let book = read(&json);
    let o2 = book
        .orders
        .iter()
        .position(|o| o.id.as_str() == "o-2")
        .unwrap();
    assert_eq!(o2, 1);
    assert_eq!(plan_it.path.as_str(), "orders[1].next_service");
}

#[test]
fn a_job_on_hold_whose_customer_knows_why_is_not_counted_as_hanging() {
    let mut json = book_json();
    json["orders"][0]["customer_updates"] = json!([{"at": "2026-11-23T22:00:00Z",
        "channel": "phone", "message": "The fan motor arrives Wednesday",
        "next_step": "Mike installs it Wednesday afternoon"}]);
    json["orders"][0]["status_history"][3]["note"] = json!("waiting for a fan motor");
    let agenda = agenda_of(&json);
    let line = agenda
        .orders
        .iter()
        .find(|l| l.report.order.as_str() == "o-1");
    // Still on the agenda (a job on hold needs someone), but not held against the customer.
    assert!(line.is_some());
    let codes = line
        .unwrap()
        .report
        .findings
        .iter()
        .map(|f| f.code.code())
        .collect::<Vec<_>>();
    assert!(!codes.contains(&"hold.customer_not_told"), "{codes:?}");
    assert!(
        !signals(&agenda, "a-2").contains(&"risk.hanging_orders"),
        "{:?}",
        signals(&agenda, "a-2")
    );
}

#[test]
fn the_purchase_histories_a_job_reads_are_the_ones_the_agenda_scores() {
    let mut json = oak_ridge_stopped();
    let orders = json["orders"].as_array_mut().unwrap();
    // Completed, then reopened: not a purchase now.
    let mut reopened = tune_up("o-r", "a-1", "2025-01-13");
    reopened["status_history"]
        .as_array_mut()
        .unwrap()
        .push(json!({"stage": "in_progress", "at": "2025-01-14T09:00:00Z"}));
    orders.push(reopened);
    // Completed after `now`: not yet a purchase.
    orders.push(tune_up("o-later", "a-2", "2026-12-01"));
    let book = read(&json);
    let rows = book.purchase_summaries(now()).expect("valid book");
    let oak = rows
        .iter()
        .find(|r| r.account.as_str() == "a-1")
        .expect("a purchase");
    let week = 7.0 * 86_400.0;
    let weeks = |a: &str, b: chrono::DateTime<chrono::Utc>| {
        (b - a.parse::<chrono::DateTime<chrono::Utc>>().unwrap()).num_seconds() as f64 / week
    };
    assert_eq!(oak.summary.frequency, 3);
    assert_eq!(
        oak.summary.recency,
        weeks(
            "2023-04-10T16:00:00Z",
            "2024-10-07T16:00:00Z".parse().unwrap()
        )
    );
    assert_eq!(oak.summary.age, weeks("2023-04-10T16:00:00Z", now()));
    assert!(
        rows.iter()
            .all(|r| r.account.as_str() != "a-2" || r.summary.frequency == 0)
    );
    // The agenda's P(alive) is the model's at exactly these rows.
    let agenda = book.agenda(now()).expect("valid book");
    let model = retention::risk::models::PurchaseModel::new(
        retention::risk::models::Variant::BgNbd,
        retention::risk::models::PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
    )
    .unwrap();
    for r in &agenda.at_risk {
        // BG/NBD gives no P(alive) without a repeat purchase (it is 1 by construction).
        let row = rows
            .iter()
            .find(|p| p.account == r.account && p.summary.frequency > 0);
        assert_eq!(row.is_some(), r.p_alive.is_some(), "{}", r.account);
        if let (Some(row), Some(p)) = (row, r.p_alive) {
            let want = model.p_alive(&row.summary).unwrap();
            assert!((p - want).abs() < 1e-6, "{}: {p} vs {want}", r.account);
        }
    }
    assert!(
        agenda
            .at_risk
            .iter()
            .any(|r| r.account.as_str() == "a-1" && r.p_alive.is_some())
    );
    // Split by account, the parts' rows are the whole book's.
    for parts in 1..=3 {
        let mut union: Vec<_> = book
            .split(parts)
            .iter()
            .flat_map(|b| b.purchase_summaries(now()).unwrap())
            .collect();
        union.sort_by(|a, b| a.account.cmp(&b.account));
        let mut whole = rows.clone();
        whole.sort_by(|a, b| a.account.cmp(&b.account));
        assert_eq!(union, whole, "{parts} parts");
    }
}
