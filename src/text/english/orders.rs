//! The English of the order findings: one arm per [`FindingCode`](C), from its
//! arguments alone (the arguments of each code are in the code table of
//! [`orders`](crate::orders)).

use std::fmt::Write as _;

use crate::orders::FindingCode as C;
use crate::text::{Args, Facts};

/// The sentence of an order finding.
pub(crate) fn finding(code: C, args: &Args) -> String {
    let a = Facts::of(args);
    let mut s = String::with_capacity(96);
    // A check waived without a reason says so.
    let waived = if a.flag("waived_without_reason") {
        " (waived without a reason, which does not count)"
    } else {
        ""
    };
    // A sum of parts past the decimal range.
    let qty = |name: &'static str| -> String {
        if a.has(name) {
            a.show(name).to_string()
        } else {
            "too many".to_string()
        }
    };
    let _ = match code {
        C::TransitionNotAllowed => write!(
            s,
            "an order that is {} cannot move to {}",
            a.show("from"),
            a.show("to")
        ),
        C::RequestMissing => {
            write!(
                s,
                "the customer's request is not recorded in their own words"
            )
        }
        C::InstructionsNotAsked => write!(
            s,
            "nobody recorded whether there are special instructions or warnings (record \"none\" if the customer had none)"
        ),
        C::SiteMissing => write!(s, "the site address is missing"),
        C::ContactMissing => write!(s, "no contact person is named for the site"),
        C::WorkItemsMissing => write!(s, "no work items are planned"),
        C::AppointmentMissing => write!(s, "no appointment is set"),
        C::AppointmentNotOnFirstContact => write!(
            s,
            "the appointment was set {} after the first contact; the policy asks for it within {}",
            a.show("took"),
            a.show("limit")
        ),
        C::TechnicianMissing => write!(s, "no technician is assigned"),
        C::HoldCustomerNotTold => write!(
            s,
            "{}: the customer has not been told why and what comes next since {}",
            a.show("stage"),
            a.show("since")
        ),
        C::CancelCustomerNotTold => write!(
            s,
            "cancelled: the customer has not been told since {}",
            a.show("since")
        ),
        C::WorkNotDocumented => write!(s, "nothing is recorded as work performed"),
        C::PlannedWorkNotDone => write!(
            s,
            "the planned work \"{}\" has no work performed against it",
            a.show("description")
        ),
        C::ChecklistMissing => write!(
            s,
            "the order has no checklist; `{}` jobs work from the template `{}`",
            a.show("service_type"),
            a.show("template")
        ),
        C::ChecklistWrongTemplate => write!(
            s,
            "the checklist comes from the template `{}`; `{}` jobs work from `{}`",
            a.show("found"),
            a.show("service_type"),
            a.show("template")
        ),
        C::ChecklistItemOpen => write!(
            s,
            "the required checklist item \"{}\" is neither done nor waived",
            a.show("label")
        ),
        C::ItemSatisfiedWrongWay => match a.term("way") {
            Some("waived") => write!(
                s,
                "\"{}\" was waived by {}, but its template does not allow a waiver",
                a.show("label"),
                a.show("by")
            ),
            _ => write!(
                s,
                "\"{}\" is ticked done, but its template only allows a waiver",
                a.show("label")
            ),
        },
        C::WaiverUnexplained => write!(
            s,
            "\"{}\" was waived by {} without a reason",
            a.show("label"),
            a.show("by")
        ),
        C::ChecklistTickStale => write!(
            s,
            "\"{}\" was ticked for work fingerprint {}; the work or parts have changed since (now {})",
            a.show("label"),
            a.show("ticked_for"),
            a.show("now")
        ),
        C::CleanUpNotConfirmed => write!(s, "clean-up of the site is not confirmed"),
        C::PartNotPlanned => write!(
            s,
            "part `{}`: {} used, none planned",
            a.show("part"),
            qty("used")
        ),
        C::PartQuantityDiffers => write!(
            s,
            "part `{}`: {} planned, {} used",
            a.show("part"),
            qty("planned"),
            qty("used")
        ),
        C::ObservationsMissing => write!(
            s,
            "no observations are recorded (record \"none\" if the technician had nothing to report)"
        ),
        C::SignatureMissing => write!(s, "the customer has not signed off the work"),
        C::SignerNameMissing => write!(s, "the sign-off does not say who signed"),
        C::SignedOffSite => write!(s, "{} signed away from the work site", a.show("signer")),
        C::SignedBeforeWork => {
            if a.has("started_at") {
                write!(
                    s,
                    "signed {}, {} before the work started {}",
                    a.show("signed_at"),
                    a.show("early_by"),
                    a.show("started_at")
                )
            } else {
                write!(
                    s,
                    "signed {}, but the work never started (no in_progress status)",
                    a.show("signed_at")
                )
            }
        }
        C::SignatureStale => write!(
            s,
            "{} signed for work fingerprint {}; the work or parts have changed since (now {})",
            a.show("signer"),
            a.show("signed_for"),
            a.show("now")
        ),
        C::CompletionNotTold => write!(s, "the customer has not been told the work is complete"),
        C::ThanksMissing => write!(s, "the customer was not thanked{waived}"),
        C::ReferralNotAsked => write!(s, "the customer was not asked for a referral{waived}"),
        C::FeedbackNotAsked => write!(s, "the customer was not asked for feedback{waived}"),
        C::NextServiceNotAgreed => write!(
            s,
            "no next service is agreed (or recorded as not needed, with why){waived}"
        ),
        C::AppointmentNotConfirmed => {
            if a.has("started_ago") {
                write!(
                    s,
                    "the appointment started {} ago and the customer never confirmed it",
                    a.show("started_ago")
                )
            } else {
                write!(
                    s,
                    "the appointment starts in {} and the customer has not confirmed it; the policy asks for confirmation {} before",
                    a.show("starts_in"),
                    a.show("confirm_before")
                )
            }
        }
        C::CustomerNotUpdated => {
            let _ = write!(s, "{} for {}; ", a.show("stage"), a.show("for"));
            if a.has("updated_ago") {
                let _ = write!(
                    s,
                    "the last status update to the customer was {} ago",
                    a.show("updated_ago")
                );
            } else {
                s.push_str("no status update to the customer in that time");
            }
            write!(s, "; the policy allows {}", a.show("limit"))
        }
        C::AppointmentNotSet => write!(
            s,
            "first contact {} ago and still no appointment; the policy asks for one within {}",
            a.show("ago"),
            a.show("limit")
        ),
        C::WorkNotAsked => write!(
            s,
            "the first contact on {} ended without asking for the work",
            a.show("first_contact_on")
        ),
        C::SignOffOverdue => write!(
            s,
            "completed {} ago and not signed off; the policy allows {}",
            a.show("ago"),
            a.show("limit")
        ),
        C::CompletionNotToldInTime => write!(
            s,
            "completed {} ago and the customer has not been told; the policy allows {}",
            a.show("ago"),
            a.show("limit")
        ),
    };
    s
}
