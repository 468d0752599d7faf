//! Amounts as the person's browser writes them: `Intl.NumberFormat` in their
//! locale, with the currency's symbol and its own number of decimals (two for
//! euros, none for yen, three for dinars).

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Intl::{NumberFormat, NumberFormatOptions, NumberFormatStyle};
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::{Measure, format};

thread_local! {
    /// One formatter per currency: making one costs far more than using it.
    static FORMATS: RefCell<HashMap<String, Option<NumberFormat>>> = RefCell::new(HashMap::new());
}

/// `amount` in `currency` (an ISO 4217 code), for people. Falls back to the
/// engine's formatting for a code `Intl` would refuse (it throws on a malformed
/// one), in the POSIX locale, and for amounts that are not finite.
pub fn money(amount: f64, currency: &str) -> String {
    // An amount that rounds to zero in the currency's minor unit is zero: Intl
    // would write a tiny negative one (a sum's float noise) as "-$0.00".
    let amount = format::settled(amount, currency);
    let formatted = amount.is_finite().then(|| {
        FORMATS.with(|formats| {
            let mut formats = formats.borrow_mut();
            let formatter = formats.entry(currency.to_owned()).or_insert_with(|| formatter(Some(currency)));
            let function = formatter.as_ref()?.format();
            function.call1(&JsValue::UNDEFINED, &JsValue::from_f64(amount)).ok()?.as_string()
        })
    });
    formatted.flatten().unwrap_or_else(|| format::money(amount, currency))
}

/// A figure of `measure` as people read it: money in its currency, or a usage
/// quantity in its unit (`denomination` is what [`Measure::denomination`] names).
pub fn figure(value: f64, denomination: &str, measure: Measure) -> String {
    if measure.is_money() { money(value, denomination) } else { quantity(value, denomination) }
}

/// A usage quantity in the person's locale, with its unit after it.
pub fn quantity(value: f64, unit: &str) -> String {
    let formatted = value.is_finite().then(|| {
        FORMATS.with(|formats| {
            let mut formats = formats.borrow_mut();
            // Not a currency code (those are three capitals), so it cannot clash with one.
            let formatter = formats.entry("quantity".to_owned()).or_insert_with(|| formatter(None));
            let function = formatter.as_ref()?.format();
            function.call1(&JsValue::UNDEFINED, &JsValue::from_f64(value)).ok()?.as_string()
        })
    });
    match formatted.flatten() {
        Some(number) => format!("{number} {}", format::label(unit)),
        None => format::quantity(value, unit),
    }
}

/// A formatter for amounts in `currency`, or for plain quantities (to three decimals) without one.
fn formatter(currency: Option<&str>) -> Option<NumberFormat> {
    let options = NumberFormatOptions::new();
    match currency {
        // Intl accepts any well-formed code (three letters) and throws on anything else.
        Some(code) if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) => return None,
        Some(code) => {
            options.set_style(NumberFormatStyle::Currency);
            options.set_currency(code);
        }
        None => options.set_maximum_fraction_digits(3),
    }
    // Constructed through Reflect, which catches what the constructor throws: a
    // browser may report a language that is no language tag (WebKitGTK on a
    // machine left at the `C` locale says "C").
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &"NumberFormat".into()).ok()?.dyn_into().ok()?;
    let made = Reflect::construct(&constructor, &Array::of2(&locales(), &options))
        .or_else(|_| Reflect::construct(&constructor, &Array::of2(&Array::new(), &options)))
        .ok()?;
    let formatter: NumberFormat = made.unchecked_into();
    // The POSIX locale writes "$ 7528.73" (no grouping): the engine's own format reads better.
    let locale = Reflect::get(&formatter.resolved_options(), &"locale".into()).ok()?.as_string()?;
    (!locale.contains("posix")).then_some(formatter)
}

/// The person's languages, as the browser reports them.
fn locales() -> Array {
    web_sys::window().map(|w| w.navigator().languages()).unwrap_or_default()
}
