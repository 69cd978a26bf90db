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
