//! Specs with units, read from product texts: "50 Feet", "10,000mAh", "1200Mbps",
//! "44mm", "512GB", "1080p", "2560x1440". Each is normalised to one base unit per
//! dimension so a shopper's "longer than 20 feet" or "mindestens 2 m" compares with
//! a title's "(50 Feet)" and "16ft(5m)".
//!
//! Base units: length in metres (inches, the screen-size unit, are lengths too, so
//! "mindestens 27 Zoll" compares with "27-inch"), storage in GB, frequency in MHz,
//! power in W, capacity in mAh, energy in Wh, data rate in Mbit/s, resolution in lines
//! (the smaller side: 1080p, 4K = 2160), megapixels, weight in grams, volume in ml.
//!
//! A product's specs come from its title and attributes, and from its description
//! for the dimensions the title does not state (a description's "fits TVs up to 65
//! inch" must not make a stand 65 inches long when its title gives its own size). A
//! variant's size and colour texts ("25 feet", "1TB") give the variant its own.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What a spec measures.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    Length,
    Storage,
    Frequency,
    Power,
    Capacity,
    Energy,
    DataRate,
    Resolution,
    Megapixels,
    Weight,
    Volume,
    /// Light output, in lumens ("2,800 Lumens", "800 lm").
    Brightness,
    /// How long it runs on a charge, in hours ("30 Hours Battery Life", "40H
    /// Playtime").
    RunTime,
    /// Pressure, in psi ("2030 Max PSI", "130 bar").
    Pressure,
    /// Electric current, in amperes ("1000A", "13 Amp", "1700 Peak Amp").
    Current,
    /// How many people it is for ("4 Person", "sleeps 6 people").
    People,
    /// Electric potential, in volts ("24VDC", "20V MAX", "56-Volt").
    Voltage,
    /// A processor's cores ("6-Core", "16 Cores", "8 Kerne").
    Cores,
    /// A mouse sensor's resolution, in dots per inch ("25K DPI", "8000 DPI").
    Dpi,
    /// How fast a printer prints, in pages a minute ("32 pages per minute", "40 ppm").
    PrintSpeed,
    /// How many ports a switch or a hub has ("8 Port", "4-Port USB 3.0 Hub").
    Ports,
    /// How many sockets a power strip or a UPS has ("11-Outlet", "7 Outlets").
    Outlets,
    /// Sheets of paper: a ream's count ("500 Sheets") or what a shredder takes at
    /// once ("12-Sheet").
    Sheets,
    /// How fast a drive or a fan turns, in turns a minute ("5400 RPM").
    Rpm,
    /// How loud it is, in decibels ("25 dB", "quieter than 40 db").
    Noise,
    /// Frames a second of a camera or a screen ("1080p/30fps", "60 fps").
    FrameRate,
    /// How many cups a coffee maker or a kettle makes ("12-Cup").
    Cups,
    /// The floor area it covers, in square metres ("Covers up to 1500 sq. ft").
    Area,
    /// Audio channels of a receiver or an amplifier ("5.2 Channel", "4-Channel").
    Channels,
    /// A wire's gauge, American Wire Gauge ("16-Gauge", "12 AWG"): the lower, the
    /// thicker.
    Gauge,
    /// How many come in the package ("48-Pack", "2-Pack", "100 Count").
    Pack,
    /// Turning force of a drill or a driver, in newton metres ("55 Nm").
    Torque,
}

impl Dim {
    pub const ALL: [Dim; 32] = [
        Dim::Length,
        Dim::Storage,
        Dim::Frequency,
        Dim::Power,
        Dim::Capacity,
        Dim::Energy,
        Dim::DataRate,
        Dim::Resolution,
        Dim::Megapixels,
        Dim::Weight,
        Dim::Volume,
        Dim::Brightness,
        Dim::RunTime,
        Dim::Pressure,
        Dim::Current,
        Dim::People,
        Dim::Voltage,
        Dim::Cores,
        Dim::Dpi,
        Dim::PrintSpeed,
        Dim::Ports,
        Dim::Outlets,
        Dim::Sheets,
        Dim::Rpm,
        Dim::Noise,
        Dim::FrameRate,
        Dim::Cups,
        Dim::Area,
        Dim::Channels,
        Dim::Gauge,
        Dim::Pack,
        Dim::Torque,
    ];

    /// The field name used in the index and the API (`length`, `data_rate`).
    pub fn name(self) -> &'static str {
        match self {
            Dim::Length => "length",
            Dim::Storage => "storage",
            Dim::Frequency => "frequency",
            Dim::Power => "power",
            Dim::Capacity => "capacity",
            Dim::Energy => "energy",
            Dim::DataRate => "data_rate",
            Dim::Resolution => "resolution",
            Dim::Megapixels => "megapixels",
            Dim::Weight => "weight",
            Dim::Volume => "volume",
            Dim::Brightness => "brightness",
            Dim::RunTime => "run_time",
            Dim::Pressure => "pressure",
            Dim::Current => "current",
            Dim::People => "people",
            Dim::Voltage => "voltage",
            Dim::Cores => "cores",
            Dim::Dpi => "dpi",
            Dim::PrintSpeed => "print_speed",
            Dim::Ports => "ports",
            Dim::Outlets => "outlets",
            Dim::Sheets => "sheets",
            Dim::Rpm => "rpm",
            Dim::Noise => "noise",
            Dim::FrameRate => "frame_rate",
            Dim::Cups => "cups",
            Dim::Area => "area",
            Dim::Channels => "channels",
            Dim::Gauge => "gauge",
            Dim::Pack => "pack",
            Dim::Torque => "torque",
        }
    }
}

/// A measured value in its dimension's base unit, with the unit it was written in
/// (to say it back the way the shopper or the title said it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quantity {
    pub dim: Dim,
    /// In the base unit (metres, GB, MHz, W, mAh, Wh, Mbit/s, lines, MP, g, ml).
    pub value: f64,
    /// The unit as written, normalised ("ft", "in", "GB", "mAh").
    pub unit: String,
    /// The lower end in the base unit when the text gives a range: "fits 10-17 inch
    /// laptops" is 10 to 17 inches, `value` being the upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
}

/// The amounts of working memory a text states: a size in GB or TB followed by
/// "RAM", a DDR generation or "memory" ("16GB RAM", "32GB (2x16GB) DDR5", "8GB
/// unified memory"), not a "memory card" or "memory stick".
pub fn memory_in(text: &str) -> Vec<Quantity> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(\d+(?:\.\d+)?)\s?(gb|tb)\b\s*(?:\(\s*\d+\s*x\s*\d+\s*gb\s*\)\s*)?(?:of\s+)?(?:unified\s+)?(?:ram|(?:lp)?ddr\d\w*|memory|arbeitsspeicher)\b(\s+(?:card|cards|stick|sticks|karte))?",
        )
        .expect("memory pattern compiles")
    });
    re.captures_iter(text)
        .filter(|c| c.get(3).is_none())
        .filter_map(|c| {
            let n: f64 = c[1].parse().ok()?;
            let tb = c[2].eq_ignore_ascii_case("tb");
            Some(Quantity {
                dim: Dim::Storage,
                value: if tb { n * 1000.0 } else { n },
                unit: if tb { "TB" } else { "GB" }.to_string(),
                from: None,
            })
        })
        .collect()
}

impl Quantity {
    /// The value in the unit it was written in.
    pub fn in_own_unit(&self) -> f64 {
        self.value / self.factor()
    }

    /// The base units in one of the unit it was written in.
    fn factor(&self) -> f64 {
        unit(&self.unit).map_or(1.0, |(_, f)| f)
    }
}

/// A number as said back: whole when it is, else with up to two decimals.
fn shown(v: f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        format!("{:.2}", v)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = shown(self.in_own_unit());
        if let Some(from) = self.from {
            shown = format!("{}–{shown}", self::shown(from / self.factor()));
        }
        match self.unit.as_str() {
            "p" => write!(f, "{shown}p"),
            "K" => write!(f, "{shown}K"),
            _ => write!(f, "{shown} {}", self.unit),
        }
    }
}

/// The units we read, as written (lowercase), with their dimension and factor to the
/// base unit. The written unit's canonical spelling is the first of its group.
fn unit(written: &str) -> Option<(Dim, f64)> {
    Some(match written {
        "mm" => (Dim::Length, 0.001),
        "cm" => (Dim::Length, 0.01),
        "m" => (Dim::Length, 1.0),
        "ft" => (Dim::Length, 0.3048),
        "in" => (Dim::Length, 0.0254),
        "MB" => (Dim::Storage, 0.001),
        "GB" => (Dim::Storage, 1.0),
        "TB" => (Dim::Storage, 1000.0),
        "Hz" => (Dim::Frequency, 0.000_001),
        "kHz" => (Dim::Frequency, 0.001),
        "MHz" => (Dim::Frequency, 1.0),
        "GHz" => (Dim::Frequency, 1000.0),
        "W" => (Dim::Power, 1.0),
        "kW" => (Dim::Power, 1000.0),
        "mAh" => (Dim::Capacity, 1.0),
        "Ah" => (Dim::Capacity, 1000.0),
        "Wh" => (Dim::Energy, 1.0),
        // A surge protector's rating: energy, as a battery's watt hours are.
        "J" => (Dim::Energy, 1.0 / 3600.0),
        "Mbps" => (Dim::DataRate, 1.0),
        "Gbps" => (Dim::DataRate, 1000.0),
        "MB/s" => (Dim::DataRate, 8.0),
        "GB/s" => (Dim::DataRate, 8000.0),
        "p" => (Dim::Resolution, 1.0),
        "K" => (Dim::Resolution, 540.0),
        "MP" => (Dim::Megapixels, 1.0),
        "g" => (Dim::Weight, 1.0),
        "kg" => (Dim::Weight, 1000.0),
        "lb" => (Dim::Weight, 453.592),
        "oz" => (Dim::Weight, 28.3495),
        "ml" => (Dim::Volume, 1.0),
        "l" => (Dim::Volume, 1000.0),
        "fl oz" => (Dim::Volume, 29.5735),
        "qt" => (Dim::Volume, 946.353),
        "gal" => (Dim::Volume, 3785.41),
        "lm" => (Dim::Brightness, 1.0),
        "h" => (Dim::RunTime, 1.0),
        "days" => (Dim::RunTime, 24.0),
        "min" => (Dim::RunTime, 1.0 / 60.0),
        "psi" => (Dim::Pressure, 1.0),
        "bar" => (Dim::Pressure, 14.503_8),
        "Pa" => (Dim::Pressure, 1.0 / 6_894.76),
        "A" => (Dim::Current, 1.0),
        "people" => (Dim::People, 1.0),
        "V" => (Dim::Voltage, 1.0),
        "cores" => (Dim::Cores, 1.0),
        "DPI" => (Dim::Dpi, 1.0),
        "kDPI" => (Dim::Dpi, 1000.0),
        "kmAh" => (Dim::Capacity, 1000.0),
        "ppm" => (Dim::PrintSpeed, 1.0),
        "ports" => (Dim::Ports, 1.0),
        "outlets" => (Dim::Outlets, 1.0),
        "sheets" => (Dim::Sheets, 1.0),
        "rpm" => (Dim::Rpm, 1.0),
        "dB" => (Dim::Noise, 1.0),
        "fps" => (Dim::FrameRate, 1.0),
        "cups" => (Dim::Cups, 1.0),
        "sq ft" => (Dim::Area, 0.092_903),
        "m²" => (Dim::Area, 1.0),
        "channels" => (Dim::Channels, 1.0),
        "AWG" => (Dim::Gauge, 1.0),
        "pack" => (Dim::Pack, 1.0),
        "Nm" => (Dim::Torque, 1.0),
        _ => return None,
    })
}

/// The dimension a canonical unit ([`canonical_unit`]) measures.
pub fn dim_of_unit(canonical: &str) -> Option<Dim> {
    unit(canonical).map(|(d, _)| d)
}

/// The canonical unit of a written unit word, or `None` when it is none of ours.
/// Case matters for a few: "5G" is a network, "5g" five grams; "M" a size.
pub fn canonical_unit(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    Some(match lower.as_str() {
        "mm" | "millimeter" | "millimeters" | "millimetre" | "millimetres" | "millimeter."
        | "millimetern" => "mm",
        "cm" | "centimeter" | "centimeters" | "centimetre" | "centimetres" | "zentimeter"
        | "zentimetern" => "cm",
        "m" if word == "m" || word == "M" => "m",
        "meter" | "meters" | "metre" | "metres" | "metern" => "m",
        "ft" | "feet" | "foot" | "fuß" | "fuss" => "ft",
        "in" | "inch" | "inches" | "zoll" | "\"" | "”" | "''" => "in",
        // "yanw 12' 3-RCA Cord": a foot's prime.
        "'" | "’" => "ft",
        "mb" => "MB",
        // "16 gigs of ram": said of memory and storage.
        "gb" | "gigabyte" | "gigabytes" | "gig" | "gigs" => "GB",
        "tb" | "terabyte" | "terabytes" => "TB",
        "hz" | "hertz" => "Hz",
        "khz" => "kHz",
        "mhz" => "MHz",
        "ghz" => "GHz",
        "w" | "watt" | "watts" | "peak watt" | "peak watts" => "W",
        "kw" | "kilowatt" => "kW",
        "mah" | "milliamperestunden" | "milliampere hours" | "milliamp hours"
        | "milliampere hour" | "milliamp hour" => "mAh",
        "ah" | "amperestunden" | "ampere hours" | "amp hours" => "Ah",
        "wh" | "wattstunden" | "watt hours" | "watt hour" => "Wh",
        "mbps" | "mbit/s" | "mbit" => "Mbps",
        // Megabits with a small b after a capital M ("Mb/s"); megabytes a second
        // otherwise: what a card's or a drive's speed is written in, and what a
        // shopper typing in lower case means ("faster than 200mb/s").
        "mb/s" if word == "Mb/s" => "Mbps",
        "mb/s" => "MB/s",
        "gbps" | "gbit/s" => "Gbps",
        // Rates said in words: "200 megabytes per second", "zweihundert megabyte pro
        // sekunde", "100 megabits a second".
        w if rate_in_words(w).is_some() => rate_in_words(w)?,
        "gb/s" => "GB/s",
        "p" => "p",
        "k" if word == "K" || word == "k" => "K",
        "mp" | "megapixel" | "megapixels" | "megapixel." => "MP",
        "g" if word == "g" => "g",
        "gram" | "grams" | "gramm" => "g",
        "kg" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramm" => "kg",
        "lb" | "lbs" | "pound" | "pounds" | "pfund" => "lb",
        "oz" | "ounce" | "ounces" => "oz",
        "ml" | "milliliter" | "milliliters" | "millilitre" => "ml",
        "l" if word == "l" || word == "L" => "l",
        "liter" | "liters" | "litre" | "litres" | "litern" => "l",
        "fl oz" | "fl. oz" | "fl.oz" | "floz" => "fl oz",
        "qt" | "quart" | "quarts" => "qt",
        "gal" | "gallon" | "gallons" => "gal",
        "lm" | "lumen" | "lumens" => "lm",
        "h" | "hour" | "hours" | "hrs" | "hr" | "stunden" | "std" => "h",
        "min" | "mins" | "minute" | "minutes" | "minuten" => "min",
        "psi" | "max psi" => "psi",
        "bar" => "bar",
        // A vacuum's suction: "2700 Pa", "2000 pa"; a "PA Speaker" is sound.
        "pa" if word != "PA" => "Pa",
        "pascal" | "pascals" => "Pa",
        "nm" | "newtonmeter" | "newton meter" | "newton meters" => "Nm",
        "a" if word == "A" => "A",
        "amp" | "amps" | "ampere" | "amperes" | "peak amp" | "peak amps" => "A",
        "person" | "persons" | "people" | "personen" => "people",
        "day" | "days" | "tag" | "tage" | "tagen" => "days",
        "v" | "volt" | "volts" | "vdc" | "vac" => "V",
        "core" | "cores" | "kern" | "kerne" | "kernen" => "cores",
        "dpi" => "DPI",
        "k dpi" | "kdpi" => "kDPI",
        // "power banks over 20k mah".
        "k mah" | "kmah" => "kmAh",
        "ppm" | "ipm" | "pages per minute" | "seiten pro minute" => "ppm",
        "port" | "ports" | "anschluss" | "anschlüsse" | "anschlüssen" => "ports",
        "outlet" | "outlets" | "steckdose" | "steckdosen" => "outlets",
        "sheet" | "sheets" | "blatt" => "sheets",
        "joule" | "joules" => "J",
        "rpm" | "u/min" => "rpm",
        "db" | "decibel" | "decibels" | "dezibel" => "dB",
        "fps" | "frames per second" | "bilder pro sekunde" => "fps",
        "cup" | "cups" | "tasse" | "tassen" => "cups",
        "sq ft" | "sq. ft" | "sq.ft" | "sqft" | "square feet" | "square foot" | "ft²" => "sq ft",
        // Not "m2": that is an M.2 slot or drive.
        "m²" | "qm" | "square meters" | "square metres" | "quadratmeter" => "m²",
        "channel" | "channels" | "kanal" | "kanäle" | "kanälen" => "channels",
        "awg" | "gauge" => "AWG",
        "pack" | "packs" | "pk" | "count" | "er-pack" | "er pack" => "pack",
        _ => return None,
    })
}

/// The canonical unit of a data rate said in words ("megabytes per second" →
/// "MB/s", "gigabit pro sekunde" → "Gbps").
fn rate_in_words(lower: &str) -> Option<&'static str> {
    let (amount, per) = lower.split_once(' ')?;
    let per = per.trim();
    if !["per second", "pro sekunde", "a second", "je sekunde"].contains(&per) {
        return None;
    }
    Some(match amount.trim_end_matches('s') {
        "megabyte" | "mb" => "MB/s",
        "gigabyte" | "gb" => "GB/s",
        "megabit" => "Mbps",
        "gigabit" => "Gbps",
        _ => return None,
    })
}

/// Resolutions written with "p" that are resolutions, and the "K" names we read.
fn plausible(q: &Quantity) -> bool {
    match q.unit.as_str() {
        "p" => [
            240.0, 360.0, 480.0, 576.0, 720.0, 1080.0, 1440.0, 2160.0, 4320.0,
        ]
        .contains(&q.value),
        "K" => [1440.0 / 540.0, 2.7, 4.0, 5.0, 5.3, 8.0]
            .iter()
            .any(|k| (q.value / 540.0 - k).abs() < 1e-6),
        _ => q.value > 0.0 && q.value.is_finite(),
    }
}

fn number_unit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            // Not after a letter and a hyphen: the "51M" of "Klipsch R-51M" is a
            // model, no 51 metres; "10-20 ft" is still a range.
            r"(?i)(?:^|^-|[^\w.,-]|[^\p{L}-]-)",
            r"(\d{1,3}(?:,\d{3})+|[1-9]\d{0,2}(?:\.\d{3})+|\d+(?:[.,]\d+)?)",
            r"\s?-?\s?",
            r"(fl\.? ?oz|milliamperestunden|milliamp(?:ere)? hours?|amperestunden|amp(?:ere)? hours?|wattstunden|watt hours?|(?:mega|giga)(?:bytes?|bits?) (?:per|pro|a|je) (?:second|sekunde)|[mg]b (?:per|pro) (?:second|sekunde)|k ?dpi|k ?mah|dpi|ppm|ipm|pages per minute|seiten pro minute|ports?|outlets?|steckdosen?|anschl(?:uss|üssen?)|sheets?|blatt|joules?|rpm|u/min|decibels?|dezibel|db|fps|frames per second|bilder pro sekunde|cups?|tassen?|channels?|kan(?:al|älen?)|awg|gauge|er[- ]pack|packs?|pk|count|sq\.? ?ft\.?|sqft|square f(?:ee|oo)t|ft²|m²|qm|square met(?:er|re)s|quadratmeter|mb/s|gb/s|mbit/s|gbit/s|millimet(?:er|re)[sn]?|centimet(?:er|re)s?|zentimetern?|",
            r"max\.? psi|psi|bar|pascals?|pa|newton ?met(?:er|re)s?|nm|peak amps?|peak watts?|amperes?|amps?|persons?|people|personen|volts?|vdc|vac|cores?|kerne?n?|",
            r"met(?:er|re)s?|metern|feet|foot|fuß|fuss|inch(?:es)?|zoll|gigabytes?|terabytes?|gigs?|",
            r"watts?|kilowatt|megapixels?|grams?|gramm|kilo(?:gram(?:m|s)?|s)?|pounds?|pfund|",
            r"ounces?|millilit(?:er|re)s?|lit(?:er|re)[sn]?|quarts?|qt|gallons?|gal|",
            r"lumens?|lm|hours?|hrs?|stunden|std|minutes?|minuten|mins?|days?|tagen?|tage|",
            r"mah|ah|mbps|gbps|mbit|mhz|ghz|khz|hz|hertz|kw|wh|mm|cm|ft|in|mb|gb|tb|mp|kg|lbs?|oz|ml|m|w|v|p|k|g|l|h|a|\x22|”|'|’)",
            r"(?:$|[^\w])"
        ))
        .expect("spec regex compiles")
    })
}

fn video_mode_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(\d(?:\.\d)?)K(?:@)?(?:24|25|30|50|60|120)(?:\s?fps|p)?\b")
            .expect("video mode regex compiles")
    })
}

fn resolution_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(\d{3,4})\s?[x×]\s?(\d{3,4})\b").expect("resolution regex compiles")
    })
}

/// A Wi-Fi class: "AX1800", "AC1200", "BE9300" name the bands' combined rate in
/// Mbit/s.
fn wifi_class_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:ac|ax|be)(\d{3,5})\b").expect("wifi class regex compiles")
    })
}

/// The lower end of a range that ends where `before` ends: "10-", "40 to ", "1 bis ".
fn range_start(before: &str) -> Option<f64> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[^\w.,])(\d+(?:[.,]\d+)?)\s?(?:-|–|~|to|bis)\s?$")
            .expect("range regex compiles")
    });
    re.captures(before)
        .and_then(|c| c.get(1))
        .and_then(|m| parse_number(m.as_str()))
}

/// Parses a written number: "10,000" (thousands), "2,5" (German decimal), "0.5",
/// "24.000" (German thousands, where the last group ends in two zeros: "4.125 Ounce"
/// and "6.875 in" stay fractions).
pub fn parse_number(s: &str) -> Option<f64> {
    let groups: Vec<&str> = s.split('.').collect();
    let german_thousands = !s.contains(',')
        && !s.starts_with('0')
        && groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && groups.last().is_some_and(|g| g.ends_with("00"));
    if german_thousands {
        return s.replace('.', "").parse().ok();
    }
    let thousands = s.len() > 4
        && s.split(',').skip(1).all(|g| g.len() == 3)
        && s.contains(',')
        && !s.contains('.');
    if thousands {
        s.replace(',', "").parse().ok()
    } else {
        s.replace(',', ".").parse().ok()
    }
}

/// Every quantity written in `text`, in order, with the byte range each covers.
pub fn quantities(text: &str) -> Vec<(Quantity, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let re = number_unit_re();
    let mut at = 0;
    while let Some(c) = re.captures_at(text, at) {
        let (Some(num), Some(u)) = (c.get(1), c.get(2)) else {
            break;
        };
        // The trailing delimiter may start the next match.
        at = u.end();
        // "fl oz" and friends may be written with a dot or a space.
        let written = u.as_str().replace(". ", " ").replace('.', " ");
        // "1500a" as a shopper types it: amps written on to hundreds of them (a
        // "Pixel 3a" is a model).
        let amps_on = written == "a"
            && u.start() == num.end()
            && parse_number(num.as_str()).is_some_and(|n| n >= 100.0);
        let Some(canonical) = canonical_unit(written.trim()).or(amps_on.then_some("A")) else {
            continue;
        };
        // A prime is feet, two are not ("1.69''" of a watch's screen).
        if matches!(canonical, "ft")
            && matches!(u.as_str(), "'" | "’")
            && text[u.end()..].starts_with(['\'', '’', '"'])
        {
            continue;
        }
        // "3-in-1", "2 in stock", "in the", "rtx 4070 in black" (nothing measures
        // hundreds of inches): no inches.
        let rest = text[u.end()..].trim_start_matches([' ', '-']);
        let next_word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        // "das iphone 15 in schwarz": a colour, no inches.
        if u.as_str().eq_ignore_ascii_case("in")
            && (rest.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "stock", "one", "the", "a", "an", "my", "your", "size", "store",
                ]
                .contains(&next_word.as_str())
                || super::colors::canonical_color(&next_word).is_some()
                || parse_number(num.as_str()).is_some_and(|n| n >= 300.0))
        {
            continue;
        }
        // Hours and minutes are a run time where the words after say what runs: "30
        // Hours Battery Life", "40H Playtime", "60 Min Run Time"; not "9H Hardness"
        // of a screen protector nor "ships in 24 hours".
        if (canonical == "h" || canonical == "min" || canonical == "days") && !names_a_run(rest) {
            continue;
        }
        // "2 Bar Stools": furniture for a bar, no pressure.
        if canonical == "bar" && !names_pressure(rest) {
            continue;
        }
        // "34W x 32L": a waist and a leg's length in a clothing size, no watts and
        // no litres.
        let sized = (canonical == "W" && rest.starts_with(['x', 'X']))
            || (canonical == "l" && text[..num.start()].trim_end().ends_with(['x', 'X', '/']));
        if sized {
            continue;
        }
        // "100 m Vp-p", "4 m A": a milli- written apart from its electrical unit.
        let next_token = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(|c: char| !c.is_alphanumeric());
        if canonical == "m"
            && next_token.starts_with(['V', 'A', 'W', 'Ω'])
            && next_token.chars().count() <= 4
        {
            continue;
        }
        // "9500L Movie Projector", "1200L LED Flashlight": lumens, as marketplace
        // titles of lights write them; no light holds litres by the thousand.
        let light = || {
            let lower = text.to_lowercase();
            [
                "projector",
                "lumen",
                "flashlight",
                "headlamp",
                "lamp",
                "light",
                "led",
                "bulb",
                "beamer",
            ]
            .iter()
            .any(|w| lower.contains(w))
        };
        let canonical = if canonical == "l"
            && u.as_str() == "L"
            && parse_number(num.as_str()).is_some_and(|n| n >= 500.0)
            && light()
        {
            "lm"
        } else {
            canonical
        };
        // "128M large memory", "16M Flash": mega-, of memory, not metres.
        let memory_words = ["memory", "ram", "rom", "flash", "storage", "cache", "bytes"];
        if canonical == "m"
            && rest
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(2)
                .any(|w| memory_words.contains(&w.to_lowercase().as_str()))
        {
            continue;
        }
        let (Some(n), Some((dim, factor))) = (parse_number(num.as_str()), unit(canonical)) else {
            continue;
        };
        let value = match canonical {
            // "4K": 4 × 540 = 2160 lines; "2K": 1440.
            "K" if n == 2.0 => 1440.0,
            _ => n * factor,
        };
        // "10-17 inch", "40 to 86 inch": a range of what it fits.
        let from = range_start(&text[..num.start()])
            .map(|lo| lo * factor)
            .filter(|lo| *lo > 0.0 && *lo < value && canonical != "K" && canonical != "p");
        let q = Quantity {
            dim,
            value,
            unit: canonical.to_string(),
            from,
        };
        if plausible(&q) {
            out.push((q, num.start()..u.end()));
        }
    }
    for c in resolution_re().captures_iter(text) {
        let (Some(a), Some(b)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (Ok(w), Ok(h)) = (a.as_str().parse::<f64>(), b.as_str().parse::<f64>()) else {
            continue;
        };
        if w.min(h) >= 240.0 {
            out.push((
                Quantity {
                    dim: Dim::Resolution,
                    value: w.min(h),
                    unit: "p".to_string(),
                    from: None,
                },
                c.get(0).map_or(0..0, |m| m.range()),
            ));
        }
    }
    // A camera's video mode, its "K" joined to the frame rate: "4K30FPS", "5.3K60".
    for c in video_mode_re().captures_iter(text) {
        let Some(k) = c.get(1).and_then(|m| m.as_str().parse::<f64>().ok()) else {
            continue;
        };
        let q = Quantity {
            dim: Dim::Resolution,
            value: k * 540.0,
            unit: "K".to_string(),
            from: None,
        };
        if plausible(&q) {
            out.push((q, c.get(0).map_or(0..0, |m| m.range())));
        }
    }
    // Classes start at AC600; "AC100-240V" is a mains input, no rate.
    for c in wifi_class_re().captures_iter(text) {
        let Some(rate) = c.get(1).and_then(|m| m.as_str().parse::<f64>().ok()) else {
            continue;
        };
        if (600.0..=50_000.0).contains(&rate) {
            out.push((
                Quantity {
                    dim: Dim::DataRate,
                    value: rate,
                    unit: "Mbps".to_string(),
                    from: None,
                },
                c.get(0).map_or(0..0, |m| m.range()),
            ));
        }
    }
    out
}

/// Whether the words after "N bar" leave it a pressure: not a bar's furniture or a
/// bar of soap ("2 Bar Stools", "Bar Cart", "3 Bar Soap").
fn names_pressure(rest: &str) -> bool {
    const BAR_THINGS: &[&str] = &[
        "stool", "stools", "cart", "carts", "table", "tables", "chair", "chairs", "counter",
        "height", "soap", "soaps", "set", "sets", "of", "pack", "hocker", "tisch", "seife",
    ];
    let next = rest
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    !BAR_THINGS.contains(&next.as_str())
}

/// Whether the words after a number of hours say it is how long something runs.
fn names_a_run(rest: &str) -> bool {
    const RUN_WORDS: &[&str] = &[
        "battery",
        "play",
        "playtime",
        "playback",
        "runtime",
        "run",
        "running",
        "listening",
        // A drone's "38-min Flight Time".
        "flight",
        "flugzeit",
        "flugdauer",
        "talk",
        "music",
        "use",
        "akku",
        "akkulaufzeit",
        "laufzeit",
        "spielzeit",
        "wiedergabe",
    ];
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .any(|w| RUN_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The connector, socket and memory-generation tokens a shopper names, by their
/// canonical spelling and the pattern that finds them in product text (folded to
/// lowercase, words apart).
const CONNECTORS: &[(&str, &str)] = &[
    ("HDMI", r"hdmi"),
    // A version said with its port is asked for: "hdmi 2.1 cable" (48 Gbps, 4K120).
    ("HDMI 2.0", r"hdmi ?2\.0"),
    ("HDMI 2.1", r"hdmi ?2\.1"),
    ("DisplayPort", r"display ?port|\bdp\b"),
    ("DP 1.4", r"(?:display ?port|\bdp) ?1\.4"),
    ("DP 2.1", r"(?:display ?port|\bdp) ?2\.1"),
    // "USB A to C", "Type A to C": both plugs.
    (
        "USB-C",
        r"usb[ -]?c\b|type[ -]?c\b|(?:usb|type)[ -]?a to c\b",
    ),
    (
        "USB-A",
        r"usb[ -]?a\b|type[ -]?a\b|(?:usb|type)[ -]?c to a\b",
    ),
    ("Micro-USB", r"micro[ -]?usb"),
    ("Lightning", r"lightning"),
    ("Thunderbolt", r"thunderbolt"),
    ("Ethernet", r"ethernet|rj[ -]?45"),
    // Network cable categories: "Cat 6", "CAT6", "Cat.6a" ("cat 6a" is no "cat 6").
    ("Cat5e", r"\bcat[ .-]?5e\b"),
    ("Cat6", r"\bcat[ .-]?6\b"),
    ("Cat6a", r"\bcat[ .-]?6a\b"),
    ("Cat7", r"\bcat[ .-]?7\b"),
    ("Cat8", r"\bcat[ .-]?8\b"),
    ("3.5 mm jack", r"3\.5 ?mm"),
    ("RCA", r"\brca\b"),
    ("XLR", r"\bxlr\b"),
    ("SATA", r"\bsata\b"),
    ("NVMe", r"\bnvme\b"),
    ("M.2", r"\bm\.2\b"),
    ("Qi", r"\bqi\b"),
    ("MagSafe", r"magsafe"),
    ("AM4", r"\bam4\b"),
    ("AM5", r"\bam5\b"),
    ("LGA 1150", r"\blga ?1150\b"),
    ("LGA 1151", r"\blga ?1151\b"),
    ("LGA 1155", r"\blga ?1155\b"),
    ("LGA 1200", r"\blga ?1200\b"),
    ("LGA 1700", r"\blga ?1700\b"),
    ("LGA 1851", r"\blga ?1851\b"),
    ("LGA 2066", r"\blga ?2066\b"),
    // "ddr four" said: "ddr 4", not the "DDR 4GB" of a size.
    ("DDR3", r"\bddr3|\bddr 3\b"),
    ("DDR4", r"\bddr4|\bddr 4\b"),
    ("DDR5", r"\bddr5|\bddr 5\b"),
    ("PCIe", r"\bpci[ -]?e\b|pcie ?\d"),
    // Wireless generations, also by the router classes that imply them ("AX1800").
    ("Wi-Fi 5", r"(?:wi-?fi|wlan) ?5\b"),
    ("Wi-Fi 6", r"(?:wi-?fi|wlan) ?6\b|\bax\d{3,4}\b"),
    ("Wi-Fi 6E", r"(?:wi-?fi|wlan) ?6e\b|\baxe\d{3,4}\b"),
    ("Wi-Fi 7", r"(?:wi-?fi|wlan) ?7\b|\bbe\d{4,5}\b"),
];

/// All connector patterns as one set: a text is scanned once, not once a pattern.
fn connector_set() -> &'static regex::RegexSet {
    static RE: OnceLock<regex::RegexSet> = OnceLock::new();
    RE.get_or_init(|| {
        regex::RegexSet::new(CONNECTORS.iter().map(|(_, pattern)| *pattern))
            .expect("connector patterns")
    })
}

/// Marks in `found` (indexed like [`CONNECTORS`]) the connectors `text` names.
fn mark_connectors(text: &str, found: &mut [bool]) {
    for i in connector_set().matches(&text.to_lowercase()).iter() {
        found[i] = true;
    }
}

/// The connectors marked in `found`, canonical and in the order of [`CONNECTORS`].
fn marked_connectors(found: &[bool]) -> Vec<&'static str> {
    CONNECTORS
        .iter()
        .zip(found)
        .filter(|(_, f)| **f)
        .map(|((name, _), _)| *name)
        .collect()
}

/// The connectors, sockets and memory generations a text names, canonical and in
/// the order of [`CONNECTORS`] ("USB-C", "HDMI", "AM4", "DDR5").
/// The two plugs a cable or adapter joins, as its text names them "A to B" ("USB C to
/// Lightning", "usb c to usb c cable"): canonical, sorted, the first of each side.
pub fn plug_pair(text: &str) -> Option<[&'static str; 2]> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.iter().enumerate().find_map(|(at, w)| {
        if *w != "to" {
            return None;
        }
        let side = |ws: &[&str]| connectors(&ws.join(" ")).first().copied();
        let a = side(&words[at.saturating_sub(2)..at])?;
        let b = side(&words[at + 1..words.len().min(at + 3)])?;
        let mut pair = [a, b];
        pair.sort_unstable();
        Some(pair)
    })
}

pub fn connectors(text: &str) -> Vec<&'static str> {
    let mut found = [false; CONNECTORS.len()];
    mark_connectors(text, &mut found);
    marked_connectors(&found)
}

/// Whether a title says its product is built for a desktop computer or a laptop
/// ("Desktop Memory", "ATX Motherboard"; "Laptop Memory SODIMM"): what it fits,
/// never a filter, so laptop memory is no answer to "ram for my b550 board".
fn platforms(title: &str) -> Vec<&'static str> {
    static RE: OnceLock<[(&'static str, Regex); 2]> = OnceLock::new();
    let res = RE.get_or_init(|| {
        [
            (
                "Desktop",
                Regex::new(
                    r"\bdesktop (?:memory|processor|ram|cpu)\b|\b(?:m|micro[- ]?|e-?)?atx\b|\bmini[- ]?itx\b|\budimm\b",
                )
                .expect("platform regex"),
            ),
            (
                "Laptop",
                Regex::new(r"\bso-?dimm\b|\b(?:laptop|notebook) (?:memory|ram)\b")
                    .expect("platform regex"),
            ),
        ]
    });
    let title = title.to_lowercase();
    res.iter()
        .filter(|(_, re)| re.is_match(&title))
        .map(|(name, _)| *name)
        .collect()
}

/// The family a connector belongs to: two products that both name one of a family
/// fit each other only if they name the same one (an AM4 board takes no AM5 CPU,
/// DDR5 memory does not go into a DDR4 board, a DisplayPort cable into an HDMI-only
/// monitor).
fn family(connector: &str) -> &'static str {
    match connector {
        "AM4" | "AM5" => "socket",
        c if c.starts_with("LGA") => "socket",
        "DDR3" | "DDR4" | "DDR5" => "memory",
        "HDMI" | "DisplayPort" => "video",
        c if c.starts_with("HDMI ") => "hdmi version",
        c if c.starts_with("DP ") => "displayport version",
        "USB-C" | "USB-A" | "Micro-USB" | "Lightning" | "Thunderbolt" => "usb",
        "SATA" | "NVMe" | "M.2" => "storage",
        "Qi" | "MagSafe" => "charging",
        "3.5 mm jack" | "RCA" | "XLR" => "audio",
        c if c.starts_with("Wi-Fi") => "wifi",
        c if c.starts_with("Cat") => "network cable",
        "PCIe" => "bus",
        "Desktop" | "Laptop" => "platform",
        _ => "other",
    }
}

/// Whether a connector is a version of a port ("HDMI 2.1", "DP 1.4"), which a
/// product may meet without its title saying so.
pub fn is_version(connector: &str) -> bool {
    family(connector).ends_with(" version")
}

/// Whether a product naming `connectors` fits one naming `with` ("ram for this
/// motherboard"): they share at least one, and in no family do both name one
/// without naming the same.
pub fn compatible(connectors: &[&str], with: &[String]) -> bool {
    let shares = connectors.iter().any(|c| with.iter().any(|w| w == c));
    let conflict = connectors.iter().any(|c| {
        let f = family(c);
        with.iter().any(|w| family(w) == f)
            && !connectors
                .iter()
                .any(|mine| family(mine) == f && with.iter().any(|w| w == mine))
    });
    shares && !conflict
}

/// The specs of a product or a variant: every value found, per dimension, and the
/// connectors its title and attributes name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Specs {
    pub values: Vec<Quantity>,
    pub connectors: Vec<&'static str>,
    /// The connectors it names anywhere, its description's first lines too ("Socket
    /// AM4 … supports DDR4 memory"): what it fits, for [`compatible`], never what a
    /// filter says it has.
    pub works_with: Vec<&'static str>,
    /// Its working memory ("16GB RAM", "32GB (2x16GB) DDR5", "8GB unified memory"),
    /// also among its storage values: what "16gb ram" asks of a laptop whose
    /// "512GB SSD" is no memory.
    pub memory: Vec<Quantity>,
}

/// How far specs were read from a catalogue: products in all, those with any value,
/// and per dimension and connector how many state it (`shopassist eval specs`
/// reports it for the catalogues it runs on).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub products: usize,
    /// Products with at least one value or connector.
    pub with_any: usize,
    pub by_dim: std::collections::BTreeMap<&'static str, usize>,
    /// Products naming at least one connector.
    pub with_connector: usize,
    pub by_connector: std::collections::BTreeMap<&'static str, usize>,
    /// Per top category: products, and those with any value or connector.
    pub by_category: std::collections::BTreeMap<String, (usize, usize)>,
}

impl Coverage {
    pub fn add(&mut self, category: Option<&str>, s: &Specs) {
        let any = !s.values.is_empty() || !s.connectors.is_empty();
        let c = self
            .by_category
            .entry(category.unwrap_or("-").to_string())
            .or_default();
        c.0 += 1;
        c.1 += usize::from(any);
        self.products += 1;
        self.with_any += usize::from(any);
        self.with_connector += usize::from(!s.connectors.is_empty());
        for d in Dim::ALL {
            if s.has(d) {
                *self.by_dim.entry(d.name()).or_default() += 1;
            }
        }
        for c in &s.connectors {
            *self.by_connector.entry(c).or_default() += 1;
        }
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |n: usize| 100.0 * n as f64 / self.products.max(1) as f64;
        write!(
            f,
            "{} products, {} with a spec ({:.1} %)",
            self.products,
            self.with_any,
            pct(self.with_any)
        )?;
        if self.by_category.len() > 1 {
            let cats: Vec<String> = self
                .by_category
                .iter()
                .map(|(c, (n, any))| {
                    format!(
                        "{c} {any}/{n} ({:.1} %)",
                        100.0 * *any as f64 / (*n).max(1) as f64
                    )
                })
                .collect();
            write!(f, "\n    by category: {}", cats.join(", "))?;
        }
        let mut dims: Vec<(&&str, &usize)> = self.by_dim.iter().collect();
        dims.sort_by(|a, b| b.1.cmp(a.1));
        let dims: Vec<String> = dims
            .iter()
            .map(|(d, n)| format!("{d} {n} ({:.1} %)", pct(**n)))
            .collect();
        write!(f, "\n    values: {}", dims.join(", "))?;
        let mut cons: Vec<(&&str, &usize)> = self.by_connector.iter().collect();
        cons.sort_by(|a, b| b.1.cmp(a.1));
        let cons: Vec<String> = cons.iter().map(|(c, n)| format!("{c} {n}")).collect();
        write!(
            f,
            "\n    connectors: {} products ({:.1} %): {}",
            self.with_connector,
            pct(self.with_connector),
            cons.join(", ")
        )
    }
}

impl Specs {
    /// The values of one dimension.
    pub fn of(&self, dim: Dim) -> impl Iterator<Item = &Quantity> {
        self.values.iter().filter(move |q| q.dim == dim)
    }

    pub fn has(&self, dim: Dim) -> bool {
        self.of(dim).next().is_some()
    }

    /// The largest value of a dimension (a listing's biggest size).
    pub fn max(&self, dim: Dim) -> Option<&Quantity> {
        self.of(dim).max_by(|a, b| {
            a.value
                .partial_cmp(&b.value)
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    }

    /// The least of a dimension it states.
    pub fn min(&self, dim: Dim) -> Option<&Quantity> {
        self.of(dim).min_by(|a, b| a.value.total_cmp(&b.value))
    }

    fn add_text(&mut self, text: &str, only_new: bool) {
        let known: Vec<Dim> = self.values.iter().map(|q| q.dim).collect();
        for (q, _) in quantities(text) {
            if only_new && known.contains(&q.dim) {
                continue;
            }
            if !self
                .values
                .iter()
                .any(|x| x.dim == q.dim && (x.value - q.value).abs() < 1e-9)
            {
                self.values.push(q);
            }
        }
    }

    /// A product's specs: title and attributes, then the description for the
    /// dimensions those do not state.
    pub fn of_product(p: &super::Product) -> Specs {
        let mut s = Specs::default();
        s.add_text(&p.title, false);
        if let Some(t) = &p.title_en {
            s.add_text(t, false);
        }
        for (k, vs) in &p.attributes {
            if k.starts_with("option.") {
                continue;
            }
            for v in vs {
                // A bare number is counted in what its attribute names: "Ports: 8"
                // is "8 Ports".
                if v.trim().parse::<f64>().is_ok() {
                    s.add_text(&format!("{} {k}", v.trim()), false);
                } else {
                    s.add_text(v, false);
                }
            }
        }
        // The first lines of a description describe the product; later ones list
        // what it fits.
        let head: String = p.description.chars().take(600).collect();
        s.add_text(&head, true);
        // Connectors from the title and attributes only: a description lists what
        // the product works with as often as what it has.
        let mut found = [false; CONNECTORS.len()];
        mark_connectors(&p.title, &mut found);
        for (k, vs) in &p.attributes {
            if !k.starts_with("option.") {
                for v in vs {
                    mark_connectors(v, &mut found);
                }
            }
        }
        s.connectors = marked_connectors(&found);
        mark_connectors(&head, &mut found);
        s.works_with = marked_connectors(&found);
        s.works_with.extend(platforms(&p.title));
        s.memory = memory_in(&p.title);
        s
    }

    /// A variant's own specs, from its size and colour texts ("25 feet", "1TB").
    pub fn of_variant(v: &super::Variant) -> Specs {
        let mut s = Specs::default();
        for t in [v.size.as_deref(), v.color.as_deref()]
            .into_iter()
            .flatten()
        {
            s.add_text(t, false);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(Dim, f64, String)> {
        quantities(text)
            .into_iter()
            .map(|(q, _)| (q.dim, (q.value * 1000.0).round() / 1000.0, q.unit))
            .collect()
    }

    #[test]
    fn gigs_are_gigabytes() {
        assert_eq!(
            read("16 gigs of ram"),
            [(Dim::Storage, 16.0, "GB".to_string())]
        );
        assert_eq!(
            read("a 1 gig card"),
            [(Dim::Storage, 1.0, "GB".to_string())]
        );
        assert!(read("Guitar Gig Bag").is_empty());
    }

    #[test]
    fn german_thousands_and_torque_are_read() {
        // "24.000 mAh" is twenty-four thousand; "4.125 Ounce" stays a fraction.
        assert_eq!(
            read("Anker 737 Powerbank 24.000 mAh"),
            [(Dim::Capacity, 24_000.0, "mAh".to_string())]
        );
        assert_eq!(
            read("Cracker Jack, 4.125 Ounce"),
            [(Dim::Weight, 116.942, "oz".to_string())]
        );
        assert_eq!(parse_number("7.000"), Some(7000.0));
        assert_eq!(parse_number("0.500"), Some(0.5));
        assert_eq!(parse_number("2,0"), Some(2.0));
        assert_eq!(
            read("Akku-Bohrschrauber 18 V, 55 Nm")[1],
            (Dim::Torque, 55.0, "Nm".to_string())
        );
    }

    #[test]
    fn a_camera_s_video_mode_is_its_resolution() {
        // The "K" joined to the frame rate, as action cameras write it.
        let k = |t: &str| {
            read(t)
                .into_iter()
                .filter(|(d, _, _)| *d == Dim::Resolution)
                .map(|(_, v, _)| v)
                .collect::<Vec<_>>()
        };
        assert_eq!(k("AKASO EK7000 4K30FPS 20MP Action Camera"), [2160.0]);
        assert_eq!(
            k("GoPro HERO12 Black - Action Camera with 5.3K60 Ultra HD Video"),
            [2862.0]
        );
        // No video mode in a model or a price.
        assert!(k("Logitech C920x HD Pro Webcam, 1080p/30fps")
            .iter()
            .all(|v| *v == 1080.0));
    }

    #[test]
    fn a_battery_s_days_are_a_run_time() {
        let read_days = read("Amazfit Bip 5 Smart Watch 46mm, 10 Day Battery");
        assert!(
            read_days.contains(&(Dim::RunTime, 240.0, "days".to_string())),
            "{read_days:?}"
        );
        // Days that say nothing of a battery: a return window, shipping.
        assert!(read("30 day returns, ships in 2 days").is_empty());
    }

    #[test]
    fn a_sensor_s_dpi_and_a_printer_s_pages_a_minute_are_read() {
        let dpi = |x: f64, u: &str| vec![(Dim::Dpi, x, u.to_string())];
        assert_eq!(read("Wired Gaming Mouse, 25K DPI"), dpi(25000.0, "kDPI"));
        assert_eq!(
            read("power banks over 20k mah"),
            [(Dim::Capacity, 20_000.0, "kmAh".to_string())]
        );
        assert_eq!(read("up to 25,600 DPI"), dpi(25600.0, "DPI"));
        let ppm = |x: f64| vec![(Dim::PrintSpeed, x, "ppm".to_string())];
        assert_eq!(read("Up to 40 ppm, Ethernet"), ppm(40.0));
        assert_eq!(read("up to 32 pages per minute"), ppm(32.0));
        // A data rate said in words.
        assert_eq!(
            read("mindestens 200 megabyte pro sekunde"),
            vec![(Dim::DataRate, 1600.0, "MB/s".to_string())]
        );
        assert_eq!(
            read("100 megabits per second"),
            vec![(Dim::DataRate, 100.0, "Mbps".to_string())]
        );
        // "25K" alone is no resolution and no DPI.
        assert!(read("HERO 25K sensor").is_empty());
    }

    #[test]
    fn a_number_before_in_and_a_colour_is_no_size() {
        assert!(quantities("das iphone 15 in schwarz").is_empty());
        assert!(quantities("galaxy s24 in black").is_empty());
        assert_eq!(quantities("a 27 in monitor").len(), 1);
    }

    #[test]
    fn working_memory_is_read_apart_from_storage() {
        let gb = |q: &[Quantity]| q.iter().map(|q| q.value).collect::<Vec<_>>();
        assert_eq!(gb(&memory_in("Laptop, M2 chip, 8GB RAM, 256GB SSD")), [8.0]);
        assert_eq!(
            gb(&memory_in("Gaming Laptop, RTX 4060, 16GB DDR5, 1TB SSD")),
            [16.0]
        );
        assert_eq!(
            gb(&memory_in(
                "Vengeance LPX 32GB (2x16GB) DDR4 3600MHz Desktop Memory"
            )),
            [32.0]
        );
        assert_eq!(gb(&memory_in("MacBook Pro, 18GB unified memory")), [18.0]);
        assert!(memory_in("SanDisk 128GB Memory Card").is_empty());
        assert!(memory_in("Samsung T7 Portable SSD 1TB").is_empty());
    }

    #[test]
    fn ports_outlets_sheets_and_joules_are_read() {
        let one = |d: Dim, x: f64, u: &str| vec![(d, x, u.to_string())];
        assert_eq!(
            read("TP-Link TL-SG108 8 Port Gigabit Ethernet Switch"),
            one(Dim::Ports, 8.0, "ports")
        );
        assert_eq!(
            read("Anker 4-Port USB 3.0 Hub"),
            one(Dim::Ports, 4.0, "ports")
        );
        assert_eq!(
            read("11-Outlet Surge Protector"),
            one(Dim::Outlets, 11.0, "outlets")
        );
        assert_eq!(
            read("Steckdosenleiste 6 Steckdosen"),
            one(Dim::Outlets, 6.0, "outlets")
        );
        assert_eq!(
            read("12-Sheet Cross-Cut Shredder"),
            one(Dim::Sheets, 12.0, "sheets")
        );
        assert_eq!(
            read("Kopierpapier 500 Blatt"),
            one(Dim::Sheets, 500.0, "sheets")
        );
        assert_eq!(
            read("NAS Hard Drive, 5400 RPM"),
            one(Dim::Rpm, 5400.0, "rpm")
        );
        assert_eq!(read("Quiet fan, 25 dB"), one(Dim::Noise, 25.0, "dB"));
        assert_eq!(
            read("HD Pro Webcam, 1080p/30fps"),
            [
                (Dim::Resolution, 1080.0, "p".to_string()),
                (Dim::FrameRate, 30.0, "fps".to_string())
            ]
        );
        assert_eq!(read("12-Cup Coffee Maker"), one(Dim::Cups, 12.0, "cups"));
        assert_eq!(
            read("Covers up to 2,500 Sq.Ft"),
            one(Dim::Area, 232.258, "sq ft")
        );
        assert_eq!(read("Mesh WLAN für 200 qm"), one(Dim::Area, 200.0, "m²"));
        // What an air purifier covers, written with a superscript.
        assert_eq!(
            read("Air Purifier for Large Room Up to 1900 Ft² in 1 Hr").first(),
            Some(&(Dim::Area, 176.516, "sq ft".to_string()))
        );
        assert_eq!(
            read("Sony STR-DH590 5.2 Channel Surround Sound AV Receiver"),
            one(Dim::Channels, 5.2, "channels")
        );
        assert_eq!(
            read("CX 4-Channel Car Amplifier"),
            one(Dim::Channels, 4.0, "channels")
        );
        assert_eq!(read("16-Gauge Speaker Wire"), one(Dim::Gauge, 16.0, "AWG"));
        assert!(read("Klipsch R-51M Bookshelf Speakers").is_empty());
        assert_eq!(read("12 AWG Speaker Wire"), one(Dim::Gauge, 12.0, "AWG"));
        assert_eq!(read("AA Batteries, 48-Pack"), one(Dim::Pack, 48.0, "pack"));
        assert_eq!(
            read("AA Batterien im 24er Pack"),
            one(Dim::Pack, 24.0, "pack")
        );
        // Joules are energy: 2880 J is 0.8 Wh.
        let j = read("Power Strip, 2880 Joules");
        assert_eq!((j[0].0, j[0].2.as_str()), (Dim::Energy, "J"));
        assert!((j[0].1 - 0.8).abs() < 1e-9, "{j:?}");
    }

    #[test]
    fn cores_are_read() {
        let c = |x: f64| vec![(Dim::Cores, x, "cores".to_string())];
        assert_eq!(
            read("AMD Ryzen 9 5900X 12-Core 24-Thread Processor"),
            c(12.0)
        );
        assert_eq!(
            read("Intel Core i7-13700K Desktop Processor 16 cores (8 P-cores + 8 E-cores)"),
            c(16.0)
        );
        assert_eq!(read("Prozessor mit 8 Kernen"), c(8.0));
        // The brand's "Core" is no count.
        assert!(read("Intel Core i5 Processor").is_empty());
    }

    #[test]
    fn volts_are_read() {
        let v = |x: f64| vec![(Dim::Voltage, x, "V".to_string())];
        assert_eq!(read("DEWALT 20V MAX Cordless Drill"), v(20.0));
        assert_eq!(read("EGO Power+ 56-Volt Blower"), v(56.0));
        assert_eq!(
            read("Mean Well NDR-480-24 24VDC DIN Rail Power Supply"),
            v(24.0)
        );
        assert_eq!(read("a 12 volt battery charger"), v(12.0));
        // "V2" is a version, "Vitamin" a word.
        assert!(read("Echo Dot V2, Vitamin C").is_empty());
    }

    #[test]
    fn pressure_current_and_people_are_read() {
        let one = |d: Dim, v: f64, u: &str| vec![(d, v, u.to_string())];
        assert_eq!(
            read("Sun Joe SPX3000 2030 Max PSI Electric Pressure Washer"),
            one(Dim::Pressure, 2030.0, "psi")
        );
        assert_eq!(
            read("Kärcher K5 Hochdruckreiniger, 145 bar"),
            one(Dim::Pressure, 2103.051, "bar")
        );
        // A vacuum's suction in pascals; a PA speaker is sound.
        let suction = read("Roborock Q5 Robot Vacuum, 2700 Pa Suction");
        assert_eq!(suction.len(), 1);
        assert_eq!(suction[0].2, "Pa");
        assert_eq!(suction[0].1, 0.392);
        assert!(read("Pyle 2 PA Speakers").is_empty());
        // Amps a shopper writes on to hundreds of them; a phone's "3a" is a model.
        assert_eq!(read("jump starter 1500a"), one(Dim::Current, 1500.0, "A"));
        assert!(read("Google Pixel 3a, 64GB")
            .iter()
            .all(|q| q.0 != Dim::Current));
        // A bar's furniture and a bar of soap are no pressure.
        assert!(read("Set of 2 Bar Stools, 24 Height").is_empty());
        assert!(read("Dove Beauty Bar, 4 Bar Soap").is_empty());
        assert_eq!(
            read("NOCO Boost Plus GB40 1000A 12V Jump Starter"),
            vec![
                (Dim::Current, 1000.0, "A".to_string()),
                (Dim::Voltage, 12.0, "V".to_string())
            ]
        );
        assert_eq!(
            read("Jump-N-Carry 1700 Peak Amp 12V Jump Starter"),
            vec![
                (Dim::Current, 1700.0, "A".to_string()),
                (Dim::Voltage, 12.0, "V".to_string())
            ]
        );
        // The plugs a cable joins, either way round.
        assert_eq!(plug_pair("usb c to usb c cable"), Some(["USB-C", "USB-C"]));
        assert_eq!(
            plug_pair("Amazon Basics USB-C to Lightning Cable Cord, 6 Foot"),
            Some(["Lightning", "USB-C"])
        );
        assert_eq!(
            plug_pair("Lightning to USB-C adapter"),
            Some(["Lightning", "USB-C"])
        );
        assert_eq!(plug_pair("microSDXC, Up to 190MB/s"), None);
        // A blender's peak power is its power.
        assert_eq!(
            read("Ninja BN701 Professional Plus Blender, 1400 Peak Watts"),
            vec![(Dim::Power, 1400.0, "W".to_string())]
        );
        assert_eq!(
            read("Sun Joe 14.5-Amp Electric Pressure Washer"),
            one(Dim::Current, 14.5, "A")
        );
        assert!(
            read("pack of 2 a day").is_empty(),
            "a lowercase a is a word"
        );
        assert_eq!(
            read("Coleman Sundome Camping Tent, 4 Person"),
            one(Dim::People, 4.0, "people")
        );
        assert_eq!(read("tent for 6 people"), one(Dim::People, 6.0, "people"));
        // An inch followed by another number is still an inch; "3-in-1" is none.
        assert_eq!(
            read("EGO LM2102SP 21-Inch 56-Volt Mower"),
            vec![
                (Dim::Length, 0.533, "in".to_string()),
                (Dim::Voltage, 56.0, "V".to_string())
            ]
        );
        assert_eq!(
            read("Craftsman 21-Inch 3-in-1 Mower"),
            one(Dim::Length, 0.533, "in")
        );
    }

    #[test]
    fn lumens_and_hours_a_thing_runs_are_read() {
        let h = |v: f64| vec![(Dim::RunTime, v, "h".to_string())];
        assert_eq!(read("Sony WH-1000XM4, 30 Hours Battery Life"), h(30.0));
        assert_eq!(read("JBL Tune 510BT, 40H Battery, Blue"), h(40.0));
        assert_eq!(read("Soundcore 2, 24-Hour Playtime"), h(24.0));
        assert_eq!(read("up to 13 hours of battery life"), h(13.0));
        assert!(read("Tempered Glass, 9H Hardness").is_empty());
        assert!(read("ships within 24 hours").is_empty());
        assert_eq!(
            read("Dyson V15 Detect Cordless Vacuum Cleaner, 60 Min Run Time"),
            vec![(Dim::RunTime, 1.0, "min".to_string())]
        );
        assert!(read("charges in 90 minutes").is_empty());
        assert_eq!(
            read("DJI Mini 3 Drone, 38-min Flight Time"),
            vec![(Dim::RunTime, 0.633, "min".to_string())]
        );
        assert_eq!(
            read("Epson Home Cinema 2350, 2,800 Lumens"),
            vec![(Dim::Brightness, 2800.0, "lm".to_string())]
        );
        assert_eq!(
            read("Kasa Smart Light Bulb KL125, A19, 800 lm"),
            vec![(Dim::Brightness, 800.0, "lm".to_string())]
        );
    }

    #[test]
    fn a_prime_after_a_number_is_feet_and_two_are_left_alone() {
        assert_eq!(
            read("yanw 12' 3-RCA Gold Plated Cord Male to Male"),
            vec![(Dim::Length, 3.658, "ft".to_string())]
        );
        // Two primes after a watch's screen ("1.69''") are left alone: they
        // would meet a case size asked in millimetres.
        assert!(read("Smart Watch 1.69'' Full Touch Screen").is_empty());
        // An apostrophe of a word is no unit.
        assert!(read("Men's 90's Retro Shirt").is_empty());
    }

    #[test]
    fn title_specs_are_read_and_normalised() {
        assert_eq!(
            read("QualGear HDMI 2.0 Cable (50 Feet)"),
            vec![(Dim::Length, 15.24, "ft".to_string())]
        );
        assert_eq!(
            read("Baseus Power Bank, 10,000mAh, PD 20W USB-C"),
            vec![
                (Dim::Capacity, 10000.0, "mAh".to_string()),
                (Dim::Power, 20.0, "W".to_string())
            ]
        );
        assert_eq!(
            read("Oculus Link Cable 16ft(5m)"),
            vec![
                (Dim::Length, 4.877, "ft".to_string()),
                (Dim::Length, 5.0, "m".to_string())
            ]
        );
        assert_eq!(
            read("ASUS RT-AX86U Pro AX5700 Dual Band Router"),
            vec![(Dim::DataRate, 5700.0, "Mbps".to_string())]
        );
        assert_eq!(
            read("Archer AX21 Router, 2.4 GHz band"),
            read("2.4 GHz band")
        );
        assert_eq!(read("Power adapter AC100"), vec![]);
        assert_eq!(
            read("1200Mbps WiFi"),
            vec![(Dim::DataRate, 1200.0, "Mbps".to_string())]
        );
        assert_eq!(
            read("Band 44mm 45mm"),
            vec![
                (Dim::Length, 0.044, "mm".to_string()),
                (Dim::Length, 0.045, "mm".to_string())
            ]
        );
        assert_eq!(
            read("512GB SSD, 2 TB HDD"),
            vec![
                (Dim::Storage, 512.0, "GB".to_string()),
                (Dim::Storage, 2000.0, "TB".to_string())
            ]
        );
        let hz = quantities("27 Inch Gaming Monitor, 144Hz").remove(1).0;
        assert_eq!(
            (hz.dim, hz.to_string()),
            (Dim::Frequency, "144 Hz".to_string())
        );
        assert_eq!(
            read("1080p Projector"),
            vec![(Dim::Resolution, 1080.0, "p".to_string())]
        );
        assert_eq!(
            read("4K UHD"),
            vec![(Dim::Resolution, 2160.0, "K".to_string())]
        );
        assert_eq!(
            read("Monitor 2560x1440"),
            vec![(Dim::Resolution, 1440.0, "p".to_string())]
        );
        assert_eq!(
            read("27-inch monitor"),
            vec![(Dim::Length, 0.686, "in".to_string())]
        );
        assert_eq!(
            read("Kaffee 500g, 2,5 l"),
            vec![
                (Dim::Weight, 500.0, "g".to_string()),
                (Dim::Volume, 2500.0, "l".to_string())
            ]
        );
    }

    #[test]
    fn a_product_fits_another_when_they_share_a_connector_and_no_family_clashes() {
        let board: Vec<String> = ["AM4", "DDR4", "PCIe", "HDMI"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(compatible(&["DDR4"], &board));
        assert!(!compatible(&["DDR5"], &board), "another memory generation");
        assert!(compatible(&["AM4", "PCIe"], &board));
        assert!(!compatible(&["AM5"], &board), "another socket");
        assert!(!compatible(&[], &board), "nothing stated is no fit");
        assert!(compatible(&["HDMI", "DisplayPort"], &board));
        let lga = vec!["LGA 1700".to_string()];
        assert!(!compatible(&["LGA 1200"], &lga));
        // An M.2 slot takes an NVMe drive that names it, beside the board's SATA.
        let slots: Vec<String> = connectors("SATA 6Gb/s, M.2, PCIe 4.0")
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(compatible(&connectors("PCIe 4.0 NVMe M.2 SSD"), &slots));
        assert!(connectors("Apple MacBook Air M2 Chip").is_empty());
    }

    #[test]
    fn what_a_product_works_with_includes_its_description_but_what_it_has_does_not() {
        let p: crate::catalog::Product = serde_json::from_value(serde_json::json!({
            "id": "C1", "title": "AMD Ryzen 5 5600X Desktop Processor", "price": 15999,
            "currency": "USD", "description": "Socket AM4, supports DDR4 memory.",
            "variants": [{"id": "C1-1", "stock": 1}]
        }))
        .unwrap();
        let s = Specs::of_product(&p);
        assert!(s.connectors.is_empty(), "{s:?}");
        assert_eq!(s.works_with, vec!["AM4", "DDR4", "Desktop"]);
    }

    #[test]
    fn a_bare_number_is_counted_in_what_its_attribute_names() {
        let p: crate::catalog::Product = serde_json::from_value(serde_json::json!({
            "id": "N1", "title": "TP-Link TL-SG108 Unmanaged Gigabit Switch", "price": 1999,
            "currency": "USD", "attributes": {"Ports": ["8"], "Speed": ["1000 Mbps"]},
            "variants": [{"id": "N1-1", "stock": 1}]
        }))
        .unwrap();
        let s = Specs::of_product(&p);
        assert_eq!(s.max(Dim::Ports).map(|q| q.value), Some(8.0), "{s:?}");
        assert!(s.has(Dim::DataRate));
    }

    #[test]
    fn laptop_memory_does_not_fit_a_desktop_board() {
        let works_with = |title: &str| {
            let p: crate::catalog::Product = serde_json::from_value(serde_json::json!({
                "id": "X", "title": title, "price": 1,
                "currency": "USD", "variants": [{"id": "X-1", "stock": 1}]
            }))
            .unwrap();
            Specs::of_product(&p)
                .works_with
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
        };
        let board = works_with("MSI MAG B550 TOMAHAWK Motherboard (AMD AM4, DDR4, ATX)");
        let desktop = works_with("Corsair Vengeance LPX 16GB DDR4 3200MHz Desktop Memory");
        let laptop = works_with("Crucial 8GB DDR4 2666MHz Laptop Memory SODIMM");
        let plain = works_with("Kingston 16GB DDR4 3200MHz Memory");
        let fits =
            |w: &[String]| compatible(&w.iter().map(String::as_str).collect::<Vec<_>>(), &board);
        assert!(fits(&desktop));
        assert!(!fits(&laptop));
        assert!(
            fits(&plain),
            "memory that says neither fits by its generation"
        );
    }

    #[test]
    fn connectors_sockets_and_memory_generations_are_named_canonically() {
        assert_eq!(
            connectors("Type-C to HDMI Cable, USB C hub with RJ45 and 3.5mm jack"),
            vec!["HDMI", "USB-C", "Ethernet", "3.5 mm jack"]
        );
        assert_eq!(
            connectors("Ryzen 7 5800X (AM4), 32GB DDR4-3200, PCIe 4.0 NVMe SSD"),
            vec!["NVMe", "AM4", "DDR4", "PCIe"]
        );
        assert_eq!(connectors("Intel LGA 1700 board"), vec!["LGA 1700"]);
        // Said apart, as voice writes it; a size after "DDR" is no generation.
        assert_eq!(connectors("ram ddr 4"), vec!["DDR4"]);
        assert!(connectors("DDR 4GB RAM").is_empty());
        assert_eq!(
            connectors("USB 3.2 Gen 1 Type A to C Cable"),
            vec!["USB-C", "USB-A"]
        );
        assert_eq!(connectors("for LGA1200 and AM4"), vec!["AM4", "LGA 1200"]);
        // Network cable categories, one each: "Cat 6a" is no "Cat 6".
        assert_eq!(
            connectors("Cat 6 Ethernet Cable 50 ft"),
            vec!["Ethernet", "Cat6"]
        );
        assert_eq!(
            connectors("CAT8 cable; cat.6a patch; cat5e"),
            vec!["Cat5e", "Cat6a", "Cat8"]
        );
        assert!(connectors("cat food 6 kg").is_empty());
        assert_eq!(
            connectors("TP-Link AX1500 WiFi 6 Extender; WiFi 6E board; wlan 5 stick"),
            vec!["Wi-Fi 5", "Wi-Fi 6", "Wi-Fi 6E"]
        );
        assert_eq!(
            connectors("Cable Matters 8K HDMI 2.1 Cable; DisplayPort Cable (DP 1.4, 8K)"),
            vec!["HDMI", "HDMI 2.1", "DisplayPort", "DP 1.4"]
        );
        assert_eq!(
            connectors("HDMI 2.1a, DisplayPort 1.4a"),
            vec!["HDMI", "HDMI 2.1", "DisplayPort", "DP 1.4"]
        );
        assert!(connectors("AXE5400 tri-band").contains(&"Wi-Fi 6E"));
        assert!(!connectors("AXE5400 tri-band").contains(&"Wi-Fi 6"));
        assert!(connectors("a quiet damper, a display stand, a qualgear cable").is_empty());
    }

    #[test]
    fn coverage_counts_products_per_dimension_connector_and_category() {
        let specs = |text: &str| {
            let mut s = Specs::default();
            s.add_text(text, false);
            s.connectors = connectors(text);
            s
        };
        let mut c = Coverage::default();
        c.add(Some("Electronics"), &specs("HDMI Cable 50 Feet"));
        c.add(Some("Electronics"), &specs("Power Bank 10,000mAh, USB-C"));
        c.add(Some("Beauty"), &specs("Shampoo"));
        assert_eq!((c.products, c.with_any, c.with_connector), (3, 2, 2));
        assert_eq!(c.by_dim.get("length"), Some(&1));
        assert_eq!(c.by_dim.get("capacity"), Some(&1));
        assert_eq!(c.by_connector.get("USB-C"), Some(&1));
        assert_eq!(c.by_category.get("Beauty"), Some(&(1, 0)));
        let shown = c.to_string();
        assert!(
            shown.starts_with("3 products, 2 with a spec (66.7 %)"),
            "{shown}"
        );
        assert!(shown.contains("Electronics 2/2 (100.0 %)"), "{shown}");
    }

    #[test]
    fn look_alikes_are_not_specs() {
        assert!(read("Ripple & Noise: 100 m Vp-p, 4 m A").is_empty());
        assert_eq!(read("5 m Anschlusskabel").len(), 1);
        // Megabytes of memory written with a bare M.
        assert!(read("nRF52840+128M large memory, 16M Flash").is_empty());
        assert_eq!(read("HDMI Cable 5M Long").len(), 1);
        // Lumens written with an L on a light; litres elsewhere.
        let q = read("5G WiFi 9500L Movie Projector");
        assert_eq!((q[0].0, q[0].1), (Dim::Brightness, 9500.0));
        assert_eq!(read("Rain Barrel 1000L")[0].0, Dim::Volume);
        // Networks, sizes, versions and model numbers.
        assert!(read("Dual Band 2.4G and 5G, size M, HDMI 2.0, P6500").is_empty());
        assert!(read("Pack of 3, 720 pieces, 3-in-1 Charger, 2 in stock").is_empty());
        // "in" before an article, or after a number nothing measures in inches.
        assert!(read("is the rtx 4070 in black, 27 in the box").is_empty());
        assert_eq!(read("27 in monitor").len(), 1);
        // A leg's length in a clothing size is no volume.
        assert!(read("Jeans 34W x 32L").is_empty());
    }

    #[test]
    fn appliance_and_tool_units_are_read() {
        // German datives: "mit mindestens 6 Litern", "aus 40 Zentimetern".
        assert_eq!(
            read("mit 6 Litern, 40 Zentimetern, 8 Millimetern"),
            vec![
                (Dim::Volume, 6000.0, "l".to_string()),
                (Dim::Length, 0.4, "cm".to_string()),
                (Dim::Length, 0.008, "mm".to_string())
            ]
        );
        assert_eq!(
            read("Air Fryer, 4 Quart, Kettle 1.8L, 5-Qt, 2 gal"),
            vec![
                (Dim::Volume, 3785.412, "qt".to_string()),
                (Dim::Volume, 1800.0, "l".to_string()),
                (Dim::Volume, 4731.765, "qt".to_string()),
                (Dim::Volume, 7570.82, "gal".to_string())
            ]
        );
        assert_eq!(
            read("20V MAX Battery, Premium 5.0Ah"),
            vec![
                (Dim::Voltage, 20.0, "V".to_string()),
                (Dim::Capacity, 5000.0, "Ah".to_string())
            ]
        );
        // Megabytes a second, unless written with a small b after a capital M.
        assert_eq!(
            read("up to 250MB/s read, 200mb/s, 100 Mb/s"),
            vec![
                (Dim::DataRate, 2000.0, "MB/s".to_string()),
                (Dim::DataRate, 1600.0, "MB/s".to_string()),
                (Dim::DataRate, 100.0, "Mbps".to_string())
            ]
        );
    }

    #[test]
    fn a_quantity_says_itself_in_its_own_unit() {
        let q = quantities("50 Feet").remove(0).0;
        assert_eq!(q.to_string(), "50 ft");
        let q = quantities("0.5m").remove(0).0;
        assert_eq!(q.to_string(), "0.5 m");
    }

    #[test]
    fn a_range_of_what_a_product_fits_is_read_with_both_ends() {
        let q = quantities("Laptop Stand, fits 10-17 Inch Laptops")
            .remove(0)
            .0;
        assert_eq!(q.to_string(), "10–17 in");
        let q = quantities("TV Stand for 40 to 86 inch TVs").remove(0).0;
        assert_eq!(q.to_string(), "40–86 in");
        // No range: a model number before a unit, a count, a single value.
        for text in [
            "3-Pack 10 ft",
            "Cable 25 Feet",
            "4K 60Hz HDMI 2.1 Cable 6 ft",
        ] {
            let q = quantities(text).remove(0).0;
            assert_eq!(q.from, None, "{text}");
        }
        let wish = |text: &str| {
            crate::nlu::rules::specs::spec_wishes(text)
                .pop()
                .unwrap_or_else(|| panic!("{text}"))
        };
        let fits = quantities("fits 10-17 Inch Laptops").remove(0).0;
        assert!(wish("a stand for a 15 inch laptop").met_by_quantity(&fits));
        assert!(!wish("a stand for a 19 inch laptop").met_by_quantity(&fits));
        assert!(wish("at least 16 inch").met_by_quantity(&fits));
        assert!(!wish("at most 9 inch").met_by_quantity(&fits));
    }
}
