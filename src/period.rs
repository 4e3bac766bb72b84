//! Periods (engine.md §2): months, quarters (K), tertials (T), half years (H), years and
//! month ranges. A period is a contiguous run of calendar months; spans of an indicator's
//! frequency are aligned to the start of the year. Parsing accepts every input form of the
//! spec; `Display` writes the canonical id.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// One calendar month, stored as `year * 12 + (month - 1)` so that month arithmetic is
/// integer arithmetic.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Month(i32);

pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;
/// The longest month range accepted (ten years).
pub const MAX_RANGE_MONTHS: i32 = 120;

const MONTH_NAMES: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

impl Month {
    /// `month` is 1–12; years outside 1900–2200 are refused.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(Month(year * 12 + month as i32 - 1))
    }
    pub fn from_index(index: i32) -> Month {
        Month(index)
    }
    /// `year * 12 + month - 1`: consecutive months have consecutive indices.
    pub fn index(self) -> i32 {
        self.0
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    /// 1–12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }
    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }
    /// The Norwegian month name, lower case: `september`.
    pub fn name(self) -> &'static str {
        MONTH_NAMES[self.0.rem_euclid(12) as usize]
    }
    /// A month as written in a file or a form: `2026-03`, `2026-3`, `202603` (surrounding
    /// spaces ignored); `None` for anything else.
    pub fn parse_id(text: &str) -> Option<Month> {
        parse_month(text.trim())
    }
    /// `2026-09`.
    pub fn id(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PeriodKind {
    Month,
    Quarter,
    Tertial,
    Half,
    Year,
    Range,
}

impl PeriodKind {
    /// The frequency whose spans are periods of this kind; `None` for a range of months.
    pub fn frequency(self) -> Option<Frequency> {
        match self {
            PeriodKind::Month => Some(Frequency::Maned),
            PeriodKind::Quarter => Some(Frequency::Kvartal),
            PeriodKind::Tertial => Some(Frequency::Tertial),
            PeriodKind::Half => Some(Frequency::Halvar),
            PeriodKind::Year => Some(Frequency::Ar),
            PeriodKind::Range => None,
        }
    }
}

// An indicator's frequency: each is one aligned `PeriodKind` (all but `Range`);
// `period_kind` and `PeriodKind::frequency` map between them.
/// The span one registered value covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Frequency {
    #[serde(rename = "måned")]
    Maned,
    #[serde(rename = "kvartal")]
    Kvartal,
    #[serde(rename = "tertial")]
    Tertial,
    #[serde(rename = "halvår")]
    Halvar,
    #[serde(rename = "år")]
    Ar,
}

impl Frequency {
    pub fn months(self) -> u32 {
        match self {
            Frequency::Maned => 1,
            Frequency::Kvartal => 3,
            Frequency::Tertial => 4,
            Frequency::Halvar => 6,
            Frequency::Ar => 12,
        }
    }
    pub fn period_kind(self) -> PeriodKind {
        match self {
            Frequency::Maned => PeriodKind::Month,
            Frequency::Kvartal => PeriodKind::Quarter,
            Frequency::Tertial => PeriodKind::Tertial,
            Frequency::Halvar => PeriodKind::Half,
            Frequency::Ar => PeriodKind::Year,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Maned => "måned",
            Frequency::Kvartal => "kvartal",
            Frequency::Tertial => "tertial",
            Frequency::Halvar => "halvår",
            Frequency::Ar => "år",
        }
    }
    /// Accepts the Norwegian keys with or without æøå, and English names.
    pub fn parse(text: &str) -> Option<Frequency> {
        match text.trim().to_lowercase().as_str() {
            "måned" | "maned" | "mnd" | "month" | "monthly" => Some(Frequency::Maned),
            "kvartal" | "quarter" | "quarterly" => Some(Frequency::Kvartal),
            "tertial" => Some(Frequency::Tertial),
            "halvår" | "halvar" | "half" | "half-year" => Some(Frequency::Halvar),
            "år" | "ar" | "year" | "yearly" | "annual" => Some(Frequency::Ar),
            _ => None,
        }
    }
}

/// A period: its kind and its first and last month (inclusive).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Period {
    kind: PeriodKind,
    first: Month,
    last: Month,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "«{text}» er ikke en gyldig periode. Bruk måned (2026-03), kvartal (2026-K1), tertial \
     (2026-T1), halvår (2026-H1), år (2026) eller en rekke måneder (2025-10..2026-09, \
     høyst 120 måneder)."
)]
pub struct PeriodError {
    pub text: String,
}

impl Period {
    pub fn month(m: Month) -> Period {
        Period {
            kind: PeriodKind::Month,
            first: m,
            last: m,
        }
    }
    fn aligned(kind: PeriodKind, year: i32, number: u32, len: u32) -> Option<Period> {
        if number == 0 || number > 12 / len {
            return None;
        }
        let first = Month::new(year, (number - 1) * len + 1)?;
        Some(Period {
            kind,
            first,
            last: first.plus(len as i32 - 1),
        })
    }
    /// Quarter 1–4.
    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        Self::aligned(PeriodKind::Quarter, year, q, 3)
    }
    /// Tertial 1–3.
    pub fn tertial(year: i32, t: u32) -> Option<Period> {
        Self::aligned(PeriodKind::Tertial, year, t, 4)
    }
    /// Half year 1–2.
    pub fn half(year: i32, h: u32) -> Option<Period> {
        Self::aligned(PeriodKind::Half, year, h, 6)
    }
    pub fn year(year: i32) -> Option<Period> {
        Self::aligned(PeriodKind::Year, year, 1, 12)
    }
    /// A month range of 1–120 months, `first` not after `last`.
    pub fn range(first: Month, last: Month) -> Option<Period> {
        let len = last.index() - first.index() + 1;
        if !(1..=MAX_RANGE_MONTHS).contains(&len) {
            return None;
        }
        Some(Period {
            kind: PeriodKind::Range,
            first,
            last,
        })
    }
    /// Year to date ("hittil i år") through month `m`: `2026-01..2026-09`.
    pub fn year_to_date(m: Month) -> Period {
        let first = Month::new(m.year(), 1).unwrap_or(m);
        Period {
            kind: PeriodKind::Range,
            first,
            last: m,
        }
    }
    /// The span of `frequency` that contains month `m`.
    pub fn span_of(frequency: Frequency, m: Month) -> Period {
        let len = frequency.months() as i32;
        let within_year = m.index().rem_euclid(12);
        let first = Month(m.index() - within_year % len);
        Period {
            kind: frequency.period_kind(),
            first,
            last: first.plus(len - 1),
        }
    }

    pub fn kind(&self) -> PeriodKind {
        self.kind
    }
    pub fn first(&self) -> Month {
        self.first
    }
    pub fn last(&self) -> Month {
        self.last
    }
    pub fn len_months(&self) -> i32 {
        self.last.index() - self.first.index() + 1
    }
    /// How many of this period's months have ended by `last_full` (the last full month,
    /// "now" as the caller's clock says): 0 for a period that has not begun or is in its
    /// first month, `len_months` for a complete period.
    pub fn months_ended_by(&self, last_full: Month) -> u32 {
        (last_full.index() - self.first.index() + 1).clamp(0, self.len_months()) as u32
    }
    /// Have all of this period's months ended by `last_full`?
    pub fn is_complete_by(&self, last_full: Month) -> bool {
        self.last <= last_full
    }
    pub fn months(&self) -> impl Iterator<Item = Month> {
        (self.first.index()..=self.last.index()).map(Month)
    }
    pub fn contains(&self, m: Month) -> bool {
        self.first <= m && m <= self.last
    }
    pub fn overlaps(&self, other: &Period) -> bool {
        self.first <= other.last && other.first <= self.last
    }
    /// The calendar years this period touches, in order.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.first.year()..=self.last.year()
    }

    fn shifted(&self, months: i32) -> Period {
        Period {
            kind: self.kind,
            first: self.first.plus(months),
            last: self.last.plus(months),
        }
    }
    /// The period of the same kind just before this one; for a range, the range of equal
    /// length just before it.
    pub fn previous(&self) -> Period {
        self.shifted(-self.len_months())
    }
    /// The period of the same kind just after this one.
    pub fn next(&self) -> Period {
        self.shifted(self.len_months())
    }
    /// This period moved back twelve months.
    pub fn last_year(&self) -> Period {
        self.shifted(-12)
    }

    /// Is this period exactly one span of `frequency`?
    pub fn is_span_of(&self, frequency: Frequency) -> bool {
        Period::span_of(frequency, self.first).first == self.first
            && Period::span_of(frequency, self.first).last == self.last
    }

    /// The spans of `frequency` that make up this period, when it is a union of whole spans;
    /// `None` when it is not (a quarterly indicator asked for a month).
    pub fn spans(&self, frequency: Frequency) -> Option<Vec<Period>> {
        let len = frequency.months() as i32;
        let start = Period::span_of(frequency, self.first);
        let end = Period::span_of(frequency, self.last);
        if start.first != self.first || end.last != self.last {
            return None;
        }
        let count = self.len_months() / len;
        Some((0..count).map(|i| start.shifted(i * len)).collect())
    }

    /// What an indicator of `frequency` is evaluated for when asked for this period: the
    /// period itself when it is a union of whole spans, else the latest span ending by its
    /// last month (engine.md §3).
    pub fn evaluated_for(&self, frequency: Frequency) -> Period {
        let whole = Period::span_of(frequency, self.first).first == self.first
            && Period::span_of(frequency, self.last).last == self.last;
        if whole {
            *self
        } else {
            self.latest_span_ending_by(frequency)
        }
    }

    /// The latest span of `frequency` that ends on or before this period's last month: what a
    /// coarser indicator shows when asked for a finer period (engine.md §3).
    pub fn latest_span_ending_by(&self, frequency: Frequency) -> Period {
        let span = Period::span_of(frequency, self.last);
        if span.last == self.last {
            span
        } else {
            span.shifted(-(frequency.months() as i32))
        }
    }

    /// Parses every accepted input form (engine.md §2), ignoring surrounding spaces and case.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        parse_period(text.trim()).ok_or_else(|| PeriodError {
            text: text.to_string(),
        })
    }

    /// A Norwegian label for people: `september 2026`, `3. kvartal 2026`, `1. tertial 2026`,
    /// `1. halvår 2026`, `2026`, `januar–september 2026`, `oktober 2025–september 2026`.
    pub fn label(&self) -> String {
        let y = self.first.year();
        let n = |len: i32| self.first.index().rem_euclid(12) / len + 1;
        match self.kind {
            PeriodKind::Month => format!("{} {}", self.first.name(), y),
            PeriodKind::Quarter => format!("{}. kvartal {}", n(3), y),
            PeriodKind::Tertial => format!("{}. tertial {}", n(4), y),
            PeriodKind::Half => format!("{}. halvår {}", n(6), y),
            PeriodKind::Year => format!("{y}"),
            PeriodKind::Range if self.first.year() == self.last.year() => {
                format!("{}–{} {}", self.first.name(), self.last.name(), y)
            }
            PeriodKind::Range => format!(
                "{} {}–{} {}",
                self.first.name(),
                y,
                self.last.name(),
                self.last.year()
            ),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let y = self.first.year();
        let n = |len: i32| self.first.index().rem_euclid(12) / len + 1;
        match self.kind {
            PeriodKind::Month => write!(f, "{}", self.first),
            PeriodKind::Quarter => write!(f, "{y:04}-K{}", n(3)),
            PeriodKind::Tertial => write!(f, "{y:04}-T{}", n(4)),
            PeriodKind::Half => write!(f, "{y:04}-H{}", n(6)),
            PeriodKind::Year => write!(f, "{y:04}"),
            PeriodKind::Range => write!(f, "{}..{}", self.first, self.last),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Period::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_year(s: &str) -> Option<i32> {
    if s.len() != 4 || !all_digits(s) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

/// `2026-03`, `2026-3`, `202603`.
fn parse_month(s: &str) -> Option<Month> {
    let (y, m) = match s.split_once('-') {
        Some((y, m)) if (1..=2).contains(&m.len()) => (y, m),
        Some(_) => return None,
        // `get`, not `split_at`: byte 4 of user text need not be a character boundary
        // (`aÅÅb`, `202²5` are six bytes).
        None if s.len() == 6 => (s.get(..4)?, s.get(4..)?),
        None => return None,
    };
    if !all_digits(m) {
        return None;
    }
    Month::new(parse_year(y)?, m.parse().ok()?)
}

fn parse_period(s: &str) -> Option<Period> {
    if let Some((a, b)) = s.split_once("..") {
        return Period::range(parse_month(a.trim())?, parse_month(b.trim())?);
    }
    if s.len() == 4 {
        return Period::year(parse_year(s)?);
    }
    if let Some(m) = parse_month(s) {
        return Some(Period::month(m));
    }
    // 2026-K1, 2026K1, 2026-Q1, 2026Q1, 2026-T1, 2026T1, 2026-H1, 2026H1, 2026S1
    let year = parse_year(s.get(..4)?)?;
    let rest = s.get(4..)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let mut chars = rest.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let number = chars.as_str();
    if number.len() != 1 || !all_digits(number) {
        return None;
    }
    let n: u32 = number.parse().ok()?;
    match letter {
        'K' | 'Q' => Period::quarter(year, n),
        'T' => Period::tertial(year, n),
        'H' | 'S' => Period::half(year, n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_ended_by_the_last_full_month() {
        let p = |t: &str| Period::parse(t).unwrap();
        let nov = Month::new(2026, 11).unwrap();
        // 4. kvartal 2026 is October–December: October and November have ended.
        assert_eq!(p("2026-K4").months_ended_by(nov), 2);
        assert!(!p("2026-K4").is_complete_by(nov));
        // 3. tertial is September–December: 3 of 4.
        assert_eq!(p("2026-T3").months_ended_by(nov), 3);
        // The year 2026: 11 of 12; 2025 is complete.
        assert_eq!(p("2026").months_ended_by(nov), 11);
        assert_eq!(p("2025").months_ended_by(nov), 12);
        assert!(p("2025").is_complete_by(nov));
        // November itself is complete; December has not ended (0 of 1); 2027 not begun.
        assert_eq!(p("2026-11").months_ended_by(nov), 1);
        assert!(p("2026-11").is_complete_by(nov));
        assert_eq!(p("2026-12").months_ended_by(nov), 0);
        assert_eq!(p("2027-K1").months_ended_by(nov), 0);
        // Hittil i år through November is complete: 11 of 11.
        assert_eq!(p("2026-01..2026-11").months_ended_by(nov), 11);
        assert!(p("2026-01..2026-11").is_complete_by(nov));
    }

    #[test]
    fn each_frequency_is_one_period_kind_and_back() {
        let all = [
            Frequency::Maned,
            Frequency::Kvartal,
            Frequency::Tertial,
            Frequency::Halvar,
            Frequency::Ar,
        ];
        for f in all {
            assert_eq!(f.period_kind().frequency(), Some(f), "{}", f.key());
        }
        assert_eq!(PeriodKind::Range.frequency(), None);
        // A quarter's span (3 months) is a period of kind Quarter.
        let m = Month::new(2026, 5).unwrap();
        assert_eq!(
            Period::span_of(Frequency::Kvartal, m).kind(),
            PeriodKind::Quarter
        );
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_accepted_form_parses_to_its_canonical_id() {
        let cases = [
            ("2026-03", "2026-03"),
            ("202603", "2026-03"),
            ("2026-3", "2026-03"),
            ("2026-K1", "2026-K1"),
            ("2026Q1", "2026-K1"),
            ("2026-Q1", "2026-K1"),
            ("2026K1", "2026-K1"),
            ("2026-k4", "2026-K4"),
            ("2026-T1", "2026-T1"),
            ("2026T3", "2026-T3"),
            ("2026-H1", "2026-H1"),
            ("2026H2", "2026-H2"),
            ("2026S1", "2026-H1"),
            ("2026", "2026"),
            ("2025-10..2026-09", "2025-10..2026-09"),
            (" 2026-09 ", "2026-09"),
        ];
        for (input, canonical) in cases {
            assert_eq!(p(input).to_string(), canonical, "input {input}");
        }
    }

    #[test]
    fn malformed_periods_are_refused_with_the_text_and_the_accepted_forms() {
        for bad in [
            "2026-13",
            "2026-00",
            "2026-K5",
            "2026-K0",
            "2026-T4",
            "2026Q12",
            "2026-H3",
            "2026-09..2026-01",
            "2016-01..2026-02",
            "26-03",
            "abc",
            "",
            "2026-",
            "2026-1-1",
            "20261",
            "2026-X1",
            "2026-031",
            // multi-byte characters where the parser looks at byte 4
            "aÅÅb",
            "202²5",
            "202½6",
            "2026²",
            "ÅÅÅ",
            "2026-K½",
            "2026K\u{200b}1",
        ] {
            let err = Period::parse(bad).expect_err(bad);
            let msg = err.to_string();
            assert!(msg.contains(&format!("«{bad}»")), "{msg}");
            assert!(msg.contains("2026-K1"), "{msg}");
        }
    }

    #[test]
    fn months_of_each_kind() {
        // K3 = July–September, T2 = May–August, H2 = July–December.
        let months = |s: &str| p(s).months().map(|m| m.month()).collect::<Vec<_>>();
        assert_eq!(months("2026-K3"), vec![7, 8, 9]);
        assert_eq!(months("2026-T2"), vec![5, 6, 7, 8]);
        assert_eq!(months("2026-H2"), vec![7, 8, 9, 10, 11, 12]);
        assert_eq!(p("2026").len_months(), 12);
        // October 2025 through September 2026 is 3 + 9 = 12 months.
        assert_eq!(p("2025-10..2026-09").len_months(), 12);
        assert_eq!(p("2026-01..2026-01").len_months(), 1);
    }

    #[test]
    fn previous_and_last_year() {
        let prev = |s: &str| p(s).previous().to_string();
        assert_eq!(prev("2026-01"), "2025-12");
        assert_eq!(prev("2026-K1"), "2025-K4");
        assert_eq!(prev("2026-K3"), "2026-K2");
        assert_eq!(prev("2026-T1"), "2025-T3");
        assert_eq!(prev("2026-H1"), "2025-H2");
        assert_eq!(prev("2026"), "2025");
        // A 9-month range: the 9 months before it.
        assert_eq!(prev("2026-01..2026-09"), "2025-04..2025-12");
        assert_eq!(p("2026-K3").last_year().to_string(), "2025-K3");
        assert_eq!(
            p("2026-01..2026-09").last_year().to_string(),
            "2025-01..2025-09"
        );
        assert_eq!(p("2026-12").next().to_string(), "2027-01");
    }

    #[test]
    fn spans_of_a_frequency() {
        let k3 = p("2026-K3");
        assert_eq!(k3.spans(Frequency::Maned).map(|v| v.len()), Some(3));
        assert_eq!(k3.spans(Frequency::Kvartal).map(|v| v.len()), Some(1));
        assert_eq!(k3.spans(Frequency::Tertial), None);
        assert_eq!(
            p("2026").spans(Frequency::Tertial).map(|v| v.len()),
            Some(3)
        );
        assert_eq!(p("2026-05").spans(Frequency::Kvartal), None);
        assert!(p("2026-K2").is_span_of(Frequency::Kvartal));
        assert!(!p("2026-K2").is_span_of(Frequency::Maned));
    }

    #[test]
    fn coarser_indicator_shows_its_latest_span_ending_by_the_period() {
        // A quarterly indicator viewed in May 2026 shows the first quarter.
        assert_eq!(
            p("2026-05")
                .latest_span_ending_by(Frequency::Kvartal)
                .to_string(),
            "2026-K1"
        );
        // In June it shows the second, which ends in June.
        assert_eq!(
            p("2026-06")
                .latest_span_ending_by(Frequency::Kvartal)
                .to_string(),
            "2026-K2"
        );
        // A yearly indicator viewed in 2026-K3 shows 2025.
        assert_eq!(
            p("2026-K3")
                .latest_span_ending_by(Frequency::Ar)
                .to_string(),
            "2025"
        );
        // A tertial indicator viewed in 2026-K3 (ends September): T2 ends in August.
        assert_eq!(
            p("2026-K3")
                .latest_span_ending_by(Frequency::Tertial)
                .to_string(),
            "2026-T2"
        );
    }

    #[test]
    fn labels_are_norwegian() {
        assert_eq!(p("2026-09").label(), "september 2026");
        assert_eq!(p("2026-K3").label(), "3. kvartal 2026");
        assert_eq!(p("2026-01..2026-09").label(), "januar–september 2026");
        assert_eq!(p("2025-10..2026-09").label(), "oktober 2025–september 2026");
    }

    #[test]
    fn year_to_date() {
        let m = Month::new(2026, 9).unwrap();
        assert_eq!(Period::year_to_date(m).to_string(), "2026-01..2026-09");
    }
}
