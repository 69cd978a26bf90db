//! Reading an inventory of patents (盘点入库): the columns by Chinese header or API name, each
//! row as the listing it asks for (its row number kept), words such as 有效 or 许可 read as the
//! values they name. Checking and writing the rows is the market's (`domain::market::inventory`).

use std::collections::HashMap;

use super::cells::{Cell, Sheet, date_text, map_headers, split_list};
use crate::{
    domain::market::{Contact, LegalStatus, ListingInput, OfferedMode},
    error::{AppError, RowError, RowErrors},
    i18n::Msg,
};

/// Columns of an inventory: API name and the Chinese labels accepted for it (the first is the
/// template's header).
pub const FIELDS: [(&str, &[&str]); 19] = [
    ("application_number", &["申请号"]),
    ("title", &["专利名称", "发明名称"]),
    ("abstract", &["摘要"]),
    ("claims", &["主权利要求"]),
    ("ipc", &["IPC分类号", "IPC 分类号"]),
    ("owner_uscc", &["专利权人统一社会信用代码"]),
    ("co_owner_uscc", &["共有人统一社会信用代码"]),
    ("inventors", &["发明人"]),
    ("industry", &["所属产业"]),
    ("legal_status", &["法律状态"]),
    ("application_date", &["申请日"]),
    ("grant_date", &["授权日"]),
    ("annual_fee_paid_until", &["年费缴至"]),
    ("maturity", &["技术成熟度"]),
    ("offered_modes", &["转化方式"]),
    ("asking_price", &["报价(元)", "报价（元）"]),
    ("contact_name", &["联系人"]),
    ("contact_phone", &["联系电话"]),
    ("contact_email", &["联系邮箱"]),
];

/// A row of the inventory: its number as Excel shows it and the listing it asks for.
pub struct InventoryRow {
    pub row: usize,
    pub input: ListingInput,
}

/// The header of `field` in the file (or its first label).
pub fn header_of(sheet: &Sheet, mapping: &[Option<&'static str>], field: &str) -> String {
    let label = FIELDS.iter().find(|(k, _)| *k == field).map(|(_, l)| l[0]);
    (mapping.iter().position(|m| *m == Some(field)))
        .and_then(|i| sheet.headers.get(i).cloned())
        .or(label.map(str::to_string))
        .unwrap_or_else(|| field.to_string())
}

/// A legal status as written: 审中, 有效, 失效, 无效, 届满 (or the API's word).
fn legal_status(text: &str) -> Option<LegalStatus> {
    let word = match text {
        "审中" | "审查中" | "pending" => "pending",
        "有效" | "授权" | "已授权" | "有效（已授权）" | "granted" => "granted",
        "失效" | "lapsed" => "lapsed",
        "无效" | "被宣告无效" | "invalidated" => "invalidated",
        "届满" | "期限届满" | "expired" => "expired",
        _ => return None,
    };
    serde_json::from_value(serde_json::Value::String(word.into())).ok()
}

/// An offered mode as written: 转让, 许可, 作价入股, 合作研发 (or the API's word).
fn mode(text: &str) -> Option<OfferedMode> {
    let word = match text {
        "转让" | "transfer" => "transfer",
        "许可" | "license" => "license",
        "作价入股" | "capital_contribution" => "capital_contribution",
        "合作研发" | "合作开发" | "joint_rd" => "joint_rd",
        "开放许可" | "open_license" => "open_license",
        _ => return None,
    };
    serde_json::from_value(serde_json::Value::String(word.into())).ok()
}

/// The rows of `sheet` as listings asked for, or every cell that cannot be read as one (the
/// checks of the values themselves come after, in the market).
pub fn read_rows(
    sheet: Sheet,
    cap: usize,
) -> Result<(Vec<InventoryRow>, HashMap<String, String>), AppError> {
    let required = [
        "application_number",
        "title",
        "abstract",
        "ipc",
        "industry",
        "legal_status",
    ];
    let mapping = map_headers(&sheet, &FIELDS, &required, &[])?;
    let headers: HashMap<String, String> = (FIELDS.iter())
        .map(|(f, _)| (f.to_string(), header_of(&sheet, &mapping, f)))
        .collect();
    let mut errors = RowErrors::with_cap(cap);
    let mut rows = Vec::with_capacity(sheet.rows.len());
    // each row's cells are let go once read: the sheet and the rows are not held twice
    for (index, cells) in sheet.rows.into_iter().enumerate() {
        let row = index + 2;
        let cell = |field: &str| {
            (mapping.iter().position(|m| *m == Some(field)))
                .and_then(|i| cells.get(i))
                .cloned()
                .unwrap_or(Cell::Empty)
        };
        let text = |field: &str| cell(field).text();
        let optional = |field: &str| Some(text(field)).filter(|t| !t.is_empty());
        let date = |field: &str| Some(date_text(&cell(field))).filter(|t| !t.is_empty());
        let mut bad = |field: &str, zh: String, en: String| {
            let column = headers
                .get(field)
                .cloned()
                .unwrap_or_else(|| field.to_string());
            errors.push(RowError {
                row,
                column,
                message: Msg::new(zh, en),
            });
        };
        let status_text = text("legal_status");
        let status = legal_status(&status_text);
        if status.is_none() && !status_text.is_empty() {
            bad(
                "legal_status",
                format!("法律状态“{status_text}”应为 审中、有效、失效、无效 或 届满"),
                format!("legal status '{status_text}' must be 审中, 有效, 失效, 无效 or 届满"),
            );
        }
        let mut modes = Vec::new();
        for word in split_list(&cell("offered_modes")) {
            match mode(&word) {
                Some(m) => modes.push(m),
                None => bad(
                    "offered_modes",
                    format!("转化方式“{word}”应为 转让、许可、作价入股 或 合作研发"),
                    format!("mode '{word}' must be 转让, 许可, 作价入股 or 合作研发"),
                ),
            }
        }
        let maturity = match cell("maturity") {
            Cell::Empty => None,
            Cell::Number(n) if n.fract() == 0.0 => Some(n as i32),
            other => match other.text().trim_start_matches("TRL").trim().parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    bad(
                        "maturity",
                        "技术成熟度应为 1 至 9 的整数".into(),
                        "maturity must be a whole number 1 to 9".into(),
                    );
                    None
                }
            },
        };
        let contact = optional("contact_name").map(|name| Contact {
            name,
            phone: text("contact_phone"),
            email: text("contact_email"),
        });
        rows.push(InventoryRow {
            row,
            input: ListingInput {
                application_number: text("application_number"),
                title: text("title"),
                abstract_text: text("abstract"),
                claims: optional("claims"),
                ipc: split_list(&cell("ipc")),
                owner_uscc: optional("owner_uscc"),
                co_owner_uscc: split_list(&cell("co_owner_uscc")),
                inventors: split_list(&cell("inventors")),
                industry: text("industry"),
                legal_status: status,
                application_date: date("application_date"),
                grant_date: date("grant_date"),
                annual_fee_paid_until: date("annual_fee_paid_until"),
                offered_modes: if modes.is_empty() {
                    vec![OfferedMode::Transfer, OfferedMode::License]
                } else {
                    modes
                },
                maturity,
                asking_price: optional("asking_price"),
                contact,
            },
        });
    }
    errors.into_result((rows, headers))
}

/// The template's example row, in the order of [`FIELDS`] (a row that imports as it is).
pub fn example_row() -> Vec<String> {
    [
        "201910567890.7",
        "一种低温固化水性聚氨酯涂层及其制备方法",
        "以改性多元醇与封闭型异氰酸酯为主体，80 ℃固化，附着力 0 级，用于新能源汽车内饰件。",
        "固化温度为 70–90 ℃的水性聚氨酯涂层组合物。",
        "C09D 175/04；C08G 18/08",
        "",
        "",
        "张明；李华",
        "新材料",
        "有效",
        "2019-07-12",
        "2021-09-03",
        "2027-07-12",
        "6",
        "转让；许可",
        "800000",
        "王老师",
        "0512-65880000",
        "tt@univ.example.cn",
    ]
    .map(str::to_string)
    .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_example_row_imports_as_it_is() {
        let sheet = Sheet {
            headers: FIELDS.iter().map(|(_, l)| l[0].to_string()).collect(),
            rows: vec![example_row().into_iter().map(Cell::Text).collect()],
        };
        let (rows, headers) = read_rows(sheet, 10).expect("every cell reads");
        assert_eq!(headers["legal_status"], "法律状态");
        let mut errors = crate::error::FieldErrors::default();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let checked = rows[0]
            .input
            .check(&["新材料".to_string()], today, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(checked.map(|c| c.offered_modes.len()), Some(2));
    }

    #[test]
    fn words_people_write_are_read_as_values() {
        assert_eq!(legal_status("有效"), Some(LegalStatus::Granted));
        assert_eq!(legal_status("届满"), Some(LegalStatus::Expired));
        assert_eq!(mode("作价入股"), Some(OfferedMode::CapitalContribution));
        assert_eq!(mode("赠与"), None);
    }
}
