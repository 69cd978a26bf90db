//! 行政区划代码 (GB/T 2260).

use std::{fmt, str::FromStr};

use super::{InvalidIdentifier, serde_via_str};
use crate::i18n::{Msg, quote};

/// The 34 province-level divisions: code prefix, Chinese name, English name.
pub const PROVINCES: [(&str, &str, &str); 34] = [
    ("11", "北京市", "Beijing"),
    ("12", "天津市", "Tianjin"),
    ("13", "河北省", "Hebei"),
    ("14", "山西省", "Shanxi"),
    ("15", "内蒙古自治区", "Inner Mongolia"),
    ("21", "辽宁省", "Liaoning"),
    ("22", "吉林省", "Jilin"),
    ("23", "黑龙江省", "Heilongjiang"),
    ("31", "上海市", "Shanghai"),
    ("32", "江苏省", "Jiangsu"),
    ("33", "浙江省", "Zhejiang"),
    ("34", "安徽省", "Anhui"),
    ("35", "福建省", "Fujian"),
    ("36", "江西省", "Jiangxi"),
    ("37", "山东省", "Shandong"),
    ("41", "河南省", "Henan"),
    ("42", "湖北省", "Hubei"),
    ("43", "湖南省", "Hunan"),
    ("44", "广东省", "Guangdong"),
    ("45", "广西壮族自治区", "Guangxi"),
    ("46", "海南省", "Hainan"),
    ("50", "重庆市", "Chongqing"),
    ("51", "四川省", "Sichuan"),
    ("52", "贵州省", "Guizhou"),
    ("53", "云南省", "Yunnan"),
    ("54", "西藏自治区", "Tibet"),
    ("61", "陕西省", "Shaanxi"),
    ("62", "甘肃省", "Gansu"),
    ("63", "青海省", "Qinghai"),
    ("64", "宁夏回族自治区", "Ningxia"),
    ("65", "新疆维吾尔自治区", "Xinjiang"),
    ("71", "台湾省", "Taiwan"),
    ("81", "香港特别行政区", "Hong Kong"),
    ("82", "澳门特别行政区", "Macao"),
];

/// A 6-digit administrative division code whose province exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a 6-digit code whose first two digits name a province-level division.
    pub fn parse(raw: &str) -> Result<Self, InvalidIdentifier> {
        let code = raw.trim();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            let code = quote(code);
            return Err(InvalidIdentifier(Msg::new(
                format!("行政区划代码“{code}”应为 6 位数字"),
                format!("region code '{code}' must be 6 digits"),
            )));
        }
        if !PROVINCES
            .iter()
            .any(|(prefix, _, _)| code.starts_with(prefix))
        {
            return Err(InvalidIdentifier(Msg::new(
                format!("行政区划代码“{code}”的前两位“{}”不是省级行政区", &code[..2]),
                format!(
                    "region code '{code}': '{}' is not a province-level division",
                    &code[..2]
                ),
            )));
        }
        Ok(RegionCode(code.to_string()))
    }

    /// The province part, `XX`.
    pub fn province_prefix(&self) -> &str {
        &self.0[..2]
    }

    /// The city part, `XXYY`.
    pub fn city_prefix(&self) -> &str {
        &self.0[..4]
    }

    /// A provincial jurisdiction `XX0000`.
    pub fn is_province(&self) -> bool {
        self.0.ends_with("0000")
    }

    /// A municipal jurisdiction `XXYY00` (not a province).
    pub fn is_city(&self) -> bool {
        self.0.ends_with("00") && !self.is_province()
    }

    /// Whether `other` lies inside this jurisdiction (a province holds its cities and counties, a
    /// city its counties, any code itself).
    pub fn contains(&self, other: &RegionCode) -> bool {
        if self.is_province() {
            other.province_prefix() == self.province_prefix()
        } else if self.is_city() {
            other.city_prefix() == self.city_prefix()
        } else {
            self == other
        }
    }

    /// The Chinese and English names of the province.
    pub fn province_names(&self) -> (&'static str, &'static str) {
        PROVINCES
            .iter()
            .find(|(prefix, _, _)| *prefix == self.province_prefix())
            .map(|(_, zh, en)| (*zh, *en))
            .unwrap_or(("", ""))
    }

    /// The canonical code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegionCode {
    type Err = InvalidIdentifier;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl TryFrom<&str> for RegionCode {
    type Error = InvalidIdentifier;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        RegionCode::parse(s)
    }
}

serde_via_str!(RegionCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_invalid_and_scope() {
        let beijing = RegionCode::parse(" 110000 ").unwrap();
        assert!(beijing.is_province());
        assert_eq!(beijing.province_names().0, "北京市");
        let haidian = RegionCode::parse("110108").unwrap();
        assert!(beijing.contains(&haidian));
        let suzhou = RegionCode::parse("320500").unwrap();
        assert!(suzhou.is_city());
        assert!(suzhou.contains(&RegionCode::parse("320506").unwrap()));
        assert!(!suzhou.contains(&RegionCode::parse("320100").unwrap()));
        for raw in ["11000", "1100000", "99 0000", "990000", "A10000", "000000"] {
            assert!(RegionCode::parse(raw).is_err(), "{raw}");
        }
        assert_eq!(PROVINCES.len(), 34);
    }

    proptest! {
        #[test]
        fn valid_codes_survive_format_then_parse(index in 0usize..34, rest in "[0-9]{4}") {
            let code = RegionCode::parse(&format!("{}{rest}", PROVINCES[index].0)).unwrap();
            prop_assert_eq!(RegionCode::parse(&code.to_string()), Ok(code));
        }
    }
}
