//! Kinds stored in the database as text, each an enum with one string form.

/// The kind of a decision recorded on a center after its accreditation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionKind {
    /// A year's result against its report.
    AnnualResult,
    /// A later due date for a year's report.
    Extension,
    /// The acceptance or rejection of a rectification.
    Rectification,
    /// The evaluation of a cycle after its last year.
    CycleResult,
    /// The center leaves (after its public notice).
    Exit,
}

impl DecisionKind {
    /// Every kind.
    pub const ALL: [DecisionKind; 5] = [
        DecisionKind::AnnualResult,
        DecisionKind::Extension,
        DecisionKind::Rectification,
        DecisionKind::CycleResult,
        DecisionKind::Exit,
    ];

    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            DecisionKind::AnnualResult => "annual_result",
            DecisionKind::Extension => "extension",
            DecisionKind::Rectification => "rectification",
            DecisionKind::CycleResult => "cycle_result",
            DecisionKind::Exit => "exit",
        }
    }

    /// The kind stored as `text`, if it is one.
    pub fn parse(text: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether `text` is this kind's stored text.
    pub fn is(self, text: &str) -> bool {
        self.as_str() == text
    }
}

/// A stored state of a center, an application or a report in words, for messages that say
/// what state a record is in (never the stored name).
pub fn in_words(state: &str) -> crate::i18n::Msg {
    let (zh, en) = match state {
        "draft" => ("草稿", "a draft"),
        "submitted" => ("已提交", "submitted"),
        "recommended" => ("已推荐", "recommended"),
        "under_review" => ("专家评审中", "under review"),
        "accredited" => ("已认定", "accredited"),
        "rejected" => ("不予认定", "rejected"),
        "returned" => ("已退回修改", "returned for correction"),
        "decided" => ("已决定", "decided"),
        "not_due" => ("未到期", "not due yet"),
        "overdue" => ("逾期未交", "overdue"),
        "exited" => ("已退出", "exited"),
        "under_notice" => ("公示中", "under public notice"),
        other => (other, other),
    };
    crate::i18n::Msg::new(zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_from_its_text() {
        for kind in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DecisionKind::parse("annual"), None);
    }
}
