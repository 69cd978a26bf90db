//! The dashboard's charts as SVG, drawn on the server by `plotters` (no script, no CDN): the
//! national amount by year and kind, centers by last result, amount by province, and one
//! center's amount by year against the threshold.

use plotters::{
    coord::ranged1d::SegmentValue,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use crate::domain::dashboard::Dashboard;
use crate::{domain::identifiers::Yuan, error::AppError, i18n::Lang};

const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
/// One color per transaction kind, and for results: green, amber, red, grey.
const PALETTE: [RGBColor; 4] = [
    RGBColor(0x2b, 0x6c, 0xb0),
    RGBColor(0x38, 0xa1, 0x69),
    RGBColor(0xd6, 0x9e, 0x2e),
    RGBColor(0x80, 0x5a, 0xd5),
];
const RESULT_COLORS: [RGBColor; 4] = [
    RGBColor(0x38, 0xa1, 0x69),
    RGBColor(0xd6, 0x9e, 0x2e),
    RGBColor(0xc5, 0x30, 0x30),
    RGBColor(0xa0, 0xae, 0xc0),
];
const FONT: &str = "sans-serif";

fn wan(amount: Yuan) -> f64 {
    amount.fen() as f64 / 1_000_000.0
}

fn failed<E: std::fmt::Display>(e: E) -> AppError {
    AppError::Internal(anyhow::anyhow!("chart: {e}"))
}

/// One bar of a chart: its label and its stacked parts `(value, color)`.
struct Bar {
    label: String,
    parts: Vec<(f64, RGBColor)>,
}

/// How the value axis counts: in amounts, or in whole things (centers) with whole-number steps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Axis {
    Amounts,
    Counts,
}

/// Vertical (stacked) bars with a legend and an optional horizontal threshold line.
fn bars(
    (title, y_label, axis): (&str, &str, Axis),
    bars: &[Bar],
    legend: &[(String, RGBColor)],
    threshold: Option<(f64, String)>,
) -> Result<String, AppError> {
    let has_legend = !legend.is_empty() || threshold.is_some();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let top = bars
            .iter()
            .map(|b| b.parts.iter().map(|p| p.0).sum::<f64>())
            .chain(threshold.as_ref().map(|t| t.0))
            .fold(0.0_f64, f64::max);
        let top = match (top > 0.0, axis) {
            (false, _) => 1.0,
            (true, Axis::Amounts) => top * 1.15,
            // whole numbers up to a step above the tallest bar
            (true, Axis::Counts) => top.ceil() + 1.0,
        };
        let y_steps = match axis {
            Axis::Counts => (top as usize + 1).min(11),
            Axis::Amounts => 10,
        };
        let count = i32::try_from(bars.len()).unwrap_or(i32::MAX).max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 19))
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(66)
            // `a..b` segments into b - a + 1 bars: one per bar, no empty one after them
            .build_cartesian_2d((0..count - 1).into_segmented(), 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .y_desc(y_label)
            .y_labels(y_steps)
            .y_label_formatter(&|v| match axis {
                // a count has no halves: only whole steps are written
                Axis::Counts if v.fract() != 0.0 => String::new(),
                Axis::Counts => format!("{v:.0}"),
                Axis::Amounts if v.fract() == 0.0 => format!("{v:.0}"),
                Axis::Amounts => format!("{v:.1}"),
            })
            .x_labels(bars.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| bars.get(i))
                    .map(|b| b.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 17))
            .axis_desc_style((FONT, 17))
            .draw()
            .map_err(failed)?;
        for (i, bar) in (0..).zip(bars) {
            let mut base = 0.0;
            for (value, color) in &bar.parts {
                // the last bar ends at the plot's right edge
                let end = if i + 1 == count {
                    SegmentValue::Last
                } else {
                    SegmentValue::Exact(i + 1)
                };
                let mut rect = Rectangle::new(
                    [(SegmentValue::Exact(i), base), (end, base + value)],
                    color.filled(),
                );
                rect.set_margin(0, 0, 6, 6);
                chart.draw_series(std::iter::once(rect)).map_err(failed)?;
                base += value;
            }
        }
        if let Some((value, label)) = threshold {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(SegmentValue::Exact(0), value), (SegmentValue::Last, value)],
                    ShapeStyle::from(&RED).stroke_width(2),
                )))
                .map_err(failed)?
                .label(label)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        }
        for (name, color) in legend {
            let color = *color;
            chart
                .draw_series(std::iter::empty::<Rectangle<(SegmentValue<i32>, f64)>>())
                .map_err(failed)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        if has_legend {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK.mix(0.2))
                .label_font((FONT, 17))
                .draw()
                .map_err(failed)?;
        }
        if bars.is_empty() {
            root.draw(&Text::new(
                "—",
                (
                    i32::try_from(WIDTH / 2).unwrap_or(0),
                    i32::try_from(HEIGHT / 2).unwrap_or(0),
                ),
                (FONT, 17)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

fn words(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

fn kind_name(kind: &str, lang: Lang) -> String {
    let (zh, en) = match kind {
        "transfer" => ("转让", "transfer"),
        "license" => ("许可", "license"),
        "capital_contribution" => ("作价入股", "capital contribution"),
        _ => ("融资", "financing"),
    };
    words(lang, zh, en)
}

/// The national operation amount by year, stacked by kind (万元).
pub fn amount_by_year(dashboard: &Dashboard, lang: Lang) -> Result<String, AppError> {
    let data: Vec<Bar> = dashboard
        .amount_by_year
        .iter()
        .map(|y| Bar {
            label: y.year.to_string(),
            parts: y
                .by_kind
                .iter()
                .zip(PALETTE)
                .map(|((_, amount), color)| (wan(*amount), color))
                .collect(),
        })
        .collect();
    let legend: Vec<(String, RGBColor)> = dashboard
        .amount_by_year
        .first()
        .map(|y| {
            y.by_kind
                .iter()
                .zip(PALETTE)
                .map(|((kind, _), color)| (kind_name(kind, lang), color))
                .collect()
        })
        .unwrap_or_default();
    let title = words(
        lang,
        "运营交易额（按年、按类型）",
        "Operation amount by year and kind",
    );
    let y_label = words(lang, "万元", "10k yuan");
    bars((&title, &y_label, Axis::Amounts), &data, &legend, None)
}

/// How many centers had each last annual result.
pub fn centers_by_result(dashboard: &Dashboard, lang: Lang) -> Result<String, AppError> {
    let results = [
        (Some("qualified"), "合格", "qualified"),
        (
            Some("basically_qualified"),
            "基本合格",
            "basically qualified",
        ),
        (Some("unqualified"), "不合格", "unqualified"),
        (None, "尚无结果", "no result yet"),
    ];
    let data: Vec<Bar> = results
        .iter()
        .zip(RESULT_COLORS)
        .map(|((result, zh, en), color)| Bar {
            label: words(lang, zh, en),
            parts: vec![(
                dashboard
                    .rows
                    .iter()
                    .filter(|r| r.last_result.as_deref() == *result)
                    .count() as f64,
                color,
            )],
        })
        .collect();
    let title = words(
        lang,
        "各中心最近一次年度考核结果",
        "Centers by last annual result",
    );
    let y_label = words(lang, "中心数", "centers");
    bars((&title, &y_label, Axis::Counts), &data, &[], None)
}

/// This year's operation amount by province, the largest 12 (万元).
pub fn amount_by_province(dashboard: &Dashboard, lang: Lang) -> Result<String, AppError> {
    let mut sums: std::collections::BTreeMap<&str, (String, i64)> = Default::default();
    for row in &dashboard.rows {
        let entry = sums
            .entry(row.province_code.as_str())
            .or_insert_with(|| (row.province.clone(), 0));
        entry.1 += row.operation_amount.fen();
    }
    let mut provinces: Vec<(String, i64)> = sums.into_values().collect();
    provinces.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let data: Vec<Bar> = provinces
        .into_iter()
        .take(12)
        .map(|(name, fen)| Bar {
            label: name,
            parts: vec![(wan(Yuan::from_fen(fen).unwrap_or_default()), PALETTE[0])],
        })
        .collect();
    let title = words(
        lang,
        "本年运营交易额（按省份，前 12）",
        "This year's amount by province (top 12)",
    );
    let y_label = words(lang, "万元", "10k yuan");
    bars((&title, &y_label, Axis::Amounts), &data, &[], None)
}

/// One center's operation amount by year against the threshold (万元).
pub fn center_amount(
    years: &[(i32, Yuan)],
    threshold: Yuan,
    lang: Lang,
) -> Result<String, AppError> {
    let data: Vec<Bar> = years
        .iter()
        .map(|(year, amount)| Bar {
            label: year.to_string(),
            parts: vec![(wan(*amount), PALETTE[0])],
        })
        .collect();
    let title = words(
        lang,
        "运营交易额与门槛（按年）",
        "Operation amount by year against the threshold",
    );
    let y_label = words(lang, "万元", "10k yuan");
    bars(
        (&title, &y_label, Axis::Amounts),
        &data,
        &[],
        Some((
            wan(threshold),
            words(
                lang,
                &format!("门槛 {} 万元", threshold.format_wan()),
                &format!("threshold {} (10k yuan)", threshold.format_wan()),
            ),
        )),
    )
}
