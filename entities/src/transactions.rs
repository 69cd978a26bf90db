use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i32,
    pub kind: String,
    pub amount_fen: i64,
    pub contract_date: Date,
    /// JSON array of USCCs.
    pub counterparty_uscc: String,
    pub contract_no: Option<String>,
    /// `contract_no` as compared ([`contract_key`]); unique among the live deals of a center.
    pub contract_key: Option<String>,
    pub related_party: bool,
    pub note: Option<String>,
    pub import_id: Option<i32>,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A contract number as two deals are compared: full-width forms folded to their usual ones
/// (NFKC), letters upper-cased, every space removed; none when nothing is left.
pub fn contract_key(contract_no: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let key: String = (contract_no.nfkc())
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::contract_key;

    #[test]
    fn contract_numbers_compare_across_case_width_and_spaces() {
        let same = [
            "HT-2026-001",
            "ht-2026-001",
            "ＨＴ－２０２６－００１",
            " HT-2026 -001 ",
            "HT\u{3000}-2026-001",
        ];
        for written in same {
            assert_eq!(
                contract_key(written).as_deref(),
                Some("HT-2026-001"),
                "{written}"
            );
        }
        assert_eq!(contract_key(" \u{3000} "), None);
        assert_ne!(contract_key("HT-2026-001"), contract_key("HT-2026-01"));
    }
}
