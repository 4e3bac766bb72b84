//! The målkart's answers — a unit's målkart, its sparklines and its overview — kept for the
//! engine they were computed from, and computed ahead for what a person opens next.
//!
//! A unit switch asks all three; at the root of the `large` demo they cost the backend
//! 12 + 20 + 30 ms every time (issue 17). Kept, a second visit is a lookup. And once a
//! målkart is answered, a thread at the lowest priority answers its children, its parent
//! and the same unit's previous and next period (the status grid and the tree, the
//! breadcrumb, the period arrows), so that the next click usually finds its answer
//! waiting. The thread uses only the engine already built (never builds one) and stops as
//! soon as another målkart is asked.
//!
//! Answers are kept per engine stamp (`CachedEngine::stamp`: the database and its revision).
//! Every write changes the revision, and answers of another stamp are never given: a kept
//! answer is always the one the current engine would compute. At most `KEEP` are kept, the
//! least recently used dropped first.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use malkart::engine::sickleave::Privacy;
use malkart::engine::Scorecard;
use malkart::period::{Month, Period};
use malkart::service::detail::{self, Sparkline};
use malkart::service::overview::{self, Overview};
use malkart::service::{window, CachedEngine};

use serde::Serialize;
use ts_rs::TS;

use crate::backend::lock;

/// How many answers are kept (three per unit and period): the units answered ahead for
/// about twenty målkart visited, besides those visited.
pub(crate) const KEEP: usize = 480;

/// How many of a unit's children are answered ahead after its målkart is asked (the first
/// in tree order: 784 units lie directly under a sector of the `large` demo).
const AHEAD: usize = 24;

/// Everything a unit's målkart shows, asked ahead by the page before the unit is opened
/// (`Backend::page_ahead`, kept in the page by `ui/src/lib/pages.ts`): the click then
/// shows it without waiting for the backend.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Page {
    pub scorecard: Scorecard,
    pub overview: Overview,
    pub sparklines: Vec<Sparkline>,
    /// The masking minimum in force (`min_employees`).
    pub min_employees: u32,
}

/// What is asked of a unit in a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Question {
    /// `detail::engine_scorecard`.
    Scorecard,
    /// `overview::overview`.
    Overview,
    /// `detail::sparklines`.
    Sparklines,
}

/// A unit and period asked about, with everything an answer depends on besides the engine.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Asked {
    pub unit: String,
    pub period: Period,
    pub privacy: Privacy,
    /// The last full month by the app's clock: what results are judged provisional by.
    pub last_full: Month,
}

impl Asked {
    fn key(&self, question: Question) -> Key {
        Key {
            question,
            asked: self.clone(),
        }
    }
}

/// One answer's question.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    question: Question,
    asked: Asked,
}

type Answer = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Kept {
    /// The engine stamp the answers are for.
    stamp: Option<(u64, i64)>,
    entries: HashMap<Key, Answer>,
    /// The keys, least recently used first.
    order: VecDeque<Key>,
    /// `Store::last_month_with_figures` for a last full month (the rest of a målkart).
    last_month: Option<(Month, Option<String>)>,
}

impl Kept {
    /// Ready for answers of `stamp`: those of an older stamp are dropped. `false` when the
    /// kept ones are newer (a thread still answering ahead on an older engine).
    fn adopt(&mut self, stamp: (u64, i64)) -> bool {
        match self.stamp {
            Some(kept) if kept == stamp => true,
            Some(kept) if kept > stamp => false,
            _ => {
                *self = Kept {
                    stamp: Some(stamp),
                    ..Kept::default()
                };
                true
            }
        }
    }

    /// The answer kept for `key`, now the most recently used.
    fn find<T: Clone + 'static>(&mut self, key: &Key) -> Option<T> {
        let found = self.entries.get(key)?.downcast_ref::<T>()?.clone();
        if let Some(i) = self.order.iter().position(|k| k == key) {
            if let Some(k) = self.order.remove(i) {
                self.order.push_back(k);
            }
        }
        Some(found)
    }

    /// Keeps `answer` for `key` (unless one is kept already), dropping the least recently
    /// used beyond `KEEP`.
    fn keep(&mut self, key: Key, answer: Answer) {
        if self.entries.contains_key(&key) {
            return;
        }
        while self.order.len() >= KEEP {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
        self.entries.insert(key.clone(), answer);
        self.order.push_back(key);
    }
}

#[derive(Default)]
pub(crate) struct Answers {
    kept: Mutex<Kept>,
    /// Counts the målkart asked: a thread answering ahead for an earlier one stops.
    asked: AtomicU64,
}

impl Answers {
    /// The unit's målkart without `last_month_with_data` (`detail::engine_scorecard`).
    pub fn scorecard(&self, engine: &CachedEngine, a: &Asked) -> malkart::Result<Scorecard> {
        self.get_or(engine, a.key(Question::Scorecard), || {
            detail::engine_scorecard(engine, &a.unit, &a.period, a.privacy, a.last_full)
        })
    }

    /// The status grid of the unit's children (`overview::overview`).
    pub fn overview(&self, engine: &CachedEngine, a: &Asked) -> malkart::Result<Overview> {
        self.get_or(engine, a.key(Question::Overview), || {
            overview::overview(engine, &a.unit, &a.period, a.privacy, a.last_full)
        })
    }

    /// The sparklines of the unit's indicators (`detail::sparklines`).
    pub fn sparklines(&self, engine: &CachedEngine, a: &Asked) -> malkart::Result<Vec<Sparkline>> {
        self.get_or(engine, a.key(Question::Sparklines), || {
            detail::sparklines(engine, &a.unit, &a.period, a.privacy)
        })
    }

    /// The three answers of `a`'s målkart (kept, else computed and kept) for a page asked
    /// ahead. `soon` (the person is about to open it: the pointer rests on it, it is the
    /// period beside the one shown): here, at the priority of the questions asked now, so
    /// that a click that comes before it is done waits no longer than for its own question.
    /// Else (a guess: one of the children) on a thread at the lowest priority, taking only
    /// time the answers asked now leave (in place when no thread can be made).
    pub fn all_ahead(
        &self,
        engine: &CachedEngine,
        a: &Asked,
        soon: bool,
    ) -> malkart::Result<(Scorecard, Overview, Vec<Sparkline>)> {
        let all = || -> malkart::Result<_> {
            Ok((
                self.scorecard(engine, a)?,
                self.overview(engine, a)?,
                self.sparklines(engine, a)?,
            ))
        };
        if soon {
            return all();
        }
        std::thread::scope(|s| {
            let spawned = std::thread::Builder::new()
                .name("malkart-page".into())
                .spawn_scoped(s, || {
                    // Not allowed (another platform, a sandbox): then it just takes its share.
                    let _ = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    );
                    all()
                });
            match spawned.map(|h| h.join()) {
                Ok(Ok(done)) => done,
                // No thread, or it panicked (then the same panic is met here).
                _ => all(),
            }
        })
    }

    /// The answer to `key` from `engine`: the kept one, else `compute`'s, then kept.
    fn get_or<T, E>(
        &self,
        engine: &CachedEngine,
        key: Key,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        let stamp = engine.stamp();
        {
            let mut kept = lock(&self.kept);
            if kept.stamp == Some(stamp) {
                if let Some(found) = kept.find::<T>(&key) {
                    return Ok(found);
                }
            }
        }
        let answer = compute()?;
        let mut kept = lock(&self.kept);
        if kept.adopt(stamp) {
            kept.keep(key, Arc::new(answer.clone()));
        }
        Ok(answer)
    }

    /// The latest month with figures up to `last_full` (`Store::last_month_with_figures`,
    /// which `compute` asks): the same for every målkart of one revision.
    pub fn last_month_with_data<E>(
        &self,
        engine: &CachedEngine,
        last_full: Month,
        compute: impl FnOnce() -> Result<Option<String>, E>,
    ) -> Result<Option<String>, E> {
        let stamp = engine.stamp();
        {
            let kept = lock(&self.kept);
            if kept.stamp == Some(stamp) {
                if let Some((m, found)) = &kept.last_month {
                    if *m == last_full {
                        return Ok(found.clone());
                    }
                }
            }
        }
        let found = compute()?;
        let mut kept = lock(&self.kept);
        if kept.adopt(stamp) {
            kept.last_month = Some((last_full, found.clone()));
        }
        Ok(found)
    }

    /// Whether `key`'s answer is kept for `engine`.
    #[cfg(test)]
    pub fn holds(&self, engine: &CachedEngine, key: &Key) -> bool {
        let kept = lock(&self.kept);
        kept.stamp == Some(engine.stamp()) && kept.entries.contains_key(key)
    }

    /// After `asked`'s målkart was asked: answers ahead, on a thread of its own at the
    /// lowest priority, what `ahead_of` names (found on that thread too: the answer asked
    /// for does not wait for it). Returns the thread (tests wait for it); `None` when no
    /// thread could be made.
    pub fn answer_ahead(
        self: &Arc<Self>,
        engine: Arc<CachedEngine>,
        asked: &Asked,
    ) -> Option<std::thread::JoinHandle<()>> {
        let ticket = self.asked.fetch_add(1, Ordering::Relaxed) + 1;
        let asked = asked.clone();
        let answers = Arc::clone(self);
        std::thread::Builder::new()
            .name("malkart-ahead".into())
            .spawn(move || {
                // Not allowed (another platform, a sandbox): then it just takes its share.
                let _ = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                );
                // Each answer is kept as it is asked; a failure is not (the question asked
                // itself reports it).
                let asks: [fn(&Answers, &CachedEngine, &Asked); 3] = [
                    |x, e, a| drop(x.scorecard(e, a)),
                    |x, e, a| drop(x.overview(e, a)),
                    |x, e, a| drop(x.sparklines(e, a)),
                ];
                for a in &ahead_of(&engine, &asked) {
                    for ask in asks {
                        if answers.asked.load(Ordering::Relaxed) != ticket {
                            return;
                        }
                        ask(&answers, &engine, a);
                    }
                }
            })
            .ok()
    }
}

/// What a person opens next from `unit`'s målkart for `period`, nearest first: its children
/// in tree order (the way down, the director's usual way through the målkart), its parent
/// (the breadcrumb; usually kept already, the way down came through it), the same unit's
/// previous and next period (those the engine holds). At most `AHEAD` children.
pub(crate) fn ahead_of(engine: &CachedEngine, asked: &Asked) -> Vec<Asked> {
    let unit = asked.unit.as_str();
    let at = |unit: &str, period: Period| Asked {
        unit: unit.to_string(),
        period,
        ..asked.clone()
    };
    let tree = engine.unit_tree();
    let mut out: Vec<Asked> = tree
        .iter()
        .filter(|n| n.parent.as_deref() == Some(unit))
        .take(AHEAD)
        .map(|n| at(&n.code, asked.period))
        .collect();
    if let Some(parent) = tree
        .iter()
        .find(|n| n.code == unit)
        .and_then(|n| n.parent.as_deref())
    {
        out.push(at(parent, asked.period));
    }
    for p in [asked.period.previous(), asked.period.next()] {
        if engine.windows().covers(&window::needed_for(&p)) {
            out.push(at(unit, p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

    use super::*;
    use crate::backend::Backend;
    use malkart::demo::DemoSize;
    use malkart::service::admin::TargetInput;

    /// The small demo through September 2026, so that the periods asked do not move with
    /// the clock.
    fn demo_backend() -> Backend {
        Backend::demo_in_memory(DemoSize::Small, Month::new(2026, 9).unwrap()).unwrap()
    }

    /// The first unit in tree order is a root.
    fn root(backend: &Backend) -> String {
        backend.units().unwrap()[0].code.clone()
    }

    fn asked(unit: &str, period: Period, backend: &Backend) -> Asked {
        Asked {
            unit: unit.to_string(),
            period,
            privacy: backend.privacy().expect("privacy"),
            last_full: crate::backend::last_full_month(),
        }
    }

    fn key(question: Question, unit: &str, period: Period, backend: &Backend) -> Key {
        asked(unit, period, backend).key(question)
    }

    /// `ahead_of` `unit` in `period`, as (unit, period).
    fn targets(
        engine: &CachedEngine,
        unit: &str,
        period: Period,
        backend: &Backend,
    ) -> Vec<(String, Period)> {
        ahead_of(engine, &asked(unit, period, backend))
            .into_iter()
            .map(|a| (a.unit, a.period))
            .collect()
    }

    fn json<T: serde::Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).expect("serialisable")
    }

    /// Asks `unit`'s målkart and waits until what it answers ahead is answered.
    fn ask_and_wait(backend: &Backend, unit: &str, period: &str) {
        let (_, ahead) = backend.scorecard_answer(unit, period).expect("scorecard");
        ahead
            .expect("a thread answering ahead")
            .join()
            .expect("no panic");
    }

    #[test]
    fn the_next_clicks_are_answered_ahead_exactly_as_asked_afresh() {
        let backend = demo_backend();
        let afresh = demo_backend();
        let root = root(&backend);
        let k3 = malkart::service::period("2026-K3").unwrap();
        ask_and_wait(&backend, &root, "2026-K3");
        let engine = backend.engine_for(&k3).unwrap();

        let targets = targets(&engine, &root, k3, &backend);
        let children: Vec<String> = backend
            .units()
            .unwrap()
            .into_iter()
            .filter(|u| u.parent.as_deref() == Some(root.as_str()))
            .map(|u| u.code)
            .collect();
        assert!(
            children.len() >= 3,
            "the small demo's sectors: {children:?}"
        );
        // The root's children first (a root has no parent), then the previous quarter (the
        // engine holds it); the next quarter only when the clock has reached it.
        let below: Vec<&String> = targets
            .iter()
            .filter(|(_, p)| *p == k3)
            .map(|(u, _)| u)
            .collect();
        assert_eq!(below, children.iter().collect::<Vec<_>>());
        assert_eq!(targets[children.len()], (root.clone(), k3.previous()));

        for (unit, period) in &targets {
            for question in [
                Question::Scorecard,
                Question::Overview,
                Question::Sparklines,
            ] {
                let k = key(question, unit, *period, &backend);
                assert!(backend.answers.holds(&engine, &k), "{k:?} answered ahead");
            }
            // Given from what was kept, and the same as a backend that kept nothing computes.
            let id = period.to_string();
            assert_eq!(
                backend.scorecard(unit, &id).unwrap(),
                afresh.scorecard(unit, &id).unwrap()
            );
            assert_eq!(
                backend.overview(unit, &id).unwrap(),
                afresh.overview(unit, &id).unwrap()
            );
            assert_eq!(
                json(&backend.sparklines(unit, &id).unwrap()),
                json(&afresh.sparklines(unit, &id).unwrap())
            );
        }
    }

    #[test]
    fn a_write_leaves_no_kept_answer_behind() {
        let backend = demo_backend();
        let afresh = demo_backend();
        let root = root(&backend);
        let k3 = malkart::service::period("2026-K3").unwrap();
        ask_and_wait(&backend, &root, "2026-K3");
        let child = targets(&backend.engine_for(&k3).unwrap(), &root, k3, &backend)
            .into_iter()
            .find(|(u, p)| *u != root && *p == k3)
            .expect("a child")
            .0;
        let kept_key = key(Question::Scorecard, &child, k3, &backend);
        assert!(backend
            .answers
            .holds(&backend.engine_for(&k3).unwrap(), &kept_key));

        // The child's own target for an indicator with a value: equal to the value, it is
        // met whichever the direction.
        let card = backend.scorecard(&child, "2026-K3").unwrap();
        let ind = card
            .perspectives
            .iter()
            .flat_map(|p| &p.indicators)
            .find(|i| {
                i.display_value.is_some()
                    && i.period == "2026-K3"
                    && i.aggregation != malkart::model::Aggregation::Sum
            })
            .expect("a quarterly indicator with a value, not a sum (its target is per month)")
            .clone();
        let input = TargetInput {
            indicator: ind.code.clone(),
            unit: Some(child.clone()),
            year: 2026,
            target: malkart::format::number(ind.display_value.unwrap(), ind.decimals),
            red_limit: String::new(),
        };
        backend.set_target(&input).unwrap();
        afresh.set_target(&input).unwrap();

        let engine = backend.engine_for(&k3).unwrap();
        assert!(
            !backend.answers.holds(&engine, &kept_key),
            "the old answer is not given"
        );
        let after = backend.scorecard(&child, "2026-K3").unwrap();
        let now = after
            .perspectives
            .iter()
            .flat_map(|p| &p.indicators)
            .find(|i| i.code == ind.code)
            .unwrap();
        assert_eq!(now.target, ind.display_value);
        assert_eq!(after, afresh.scorecard(&child, "2026-K3").unwrap());
        // The root's overview shows the child's new status too.
        assert_eq!(
            backend.overview(&root, "2026-K3").unwrap(),
            afresh.overview(&root, "2026-K3").unwrap()
        );
    }

    #[test]
    fn a_page_asked_ahead_is_the_målkart_as_asked_and_never_builds_an_engine() {
        let backend = demo_backend();
        let afresh = demo_backend();
        let root = root(&backend);
        // Nothing asked yet: no engine, and asking ahead builds none.
        assert!(backend
            .page_ahead(&root, "2026-K3", false)
            .unwrap()
            .is_none());
        assert_eq!(backend.engines.builds(), 0);

        ask_and_wait(&backend, &root, "2026-K3");
        let ticket = backend.answers.asked.load(Ordering::Relaxed);
        let child = backend
            .units()
            .unwrap()
            .into_iter()
            .find(|u| u.parent.as_deref() == Some(root.as_str()))
            .unwrap()
            .code;
        // A child (a guess, at the lowest priority) and the period before (soon).
        for (unit, period, soon) in [(&child, "2026-K3", false), (&root, "2026-K2", true)] {
            let page = backend
                .page_ahead(unit, period, soon)
                .unwrap()
                .expect("the engine holds it");
            // Exactly what the click would have asked, of a backend that kept nothing.
            assert_eq!(page.scorecard, afresh.scorecard(unit, period).unwrap());
            assert_eq!(page.overview, afresh.overview(unit, period).unwrap());
            assert_eq!(
                json(&page.sparklines),
                json(&afresh.sparklines(unit, period).unwrap())
            );
            assert_eq!(page.min_employees, afresh.min_employees().unwrap());
        }
        // Not opened: what is answered ahead still follows the root's målkart.
        assert_eq!(backend.answers.asked.load(Ordering::Relaxed), ticket);
        // A period the engine does not hold is not built for.
        let builds = backend.engines.builds();
        assert!(backend
            .page_ahead(&root, "2019-K1", true)
            .unwrap()
            .is_none());
        assert_eq!(backend.engines.builds(), builds);
        // An unknown unit is the same error as the målkart's.
        assert!(backend.page_ahead("finnes-ikke", "2026-K3", true).is_err());

        // Shown from the page: answered ahead from the child from now on.
        let k3 = malkart::service::period("2026-K3").unwrap();
        backend
            .opened_ahead(&child, "2026-K3")
            .unwrap()
            .expect("a thread answering ahead")
            .join()
            .unwrap();
        assert_eq!(backend.answers.asked.load(Ordering::Relaxed), ticket + 1);
        let engine = backend.engine_for(&k3).unwrap();
        for (unit, period) in targets(&engine, &child, k3, &backend) {
            let k = key(Question::Overview, &unit, period, &backend);
            assert!(backend.answers.holds(&engine, &k), "{k:?} answered ahead");
        }
    }

    #[test]
    fn after_a_write_nothing_is_given_ahead_until_the_engine_is_built_anew() {
        let backend = demo_backend();
        let root = root(&backend);
        backend.scorecard(&root, "2026-K3").unwrap();
        assert!(backend
            .page_ahead(&root, "2026-K3", false)
            .unwrap()
            .is_some());
        backend.set_min_employees(3).unwrap();
        // The engine of the old revision is not used, and none is built.
        let builds = backend.engines.builds();
        assert!(backend
            .page_ahead(&root, "2026-K3", false)
            .unwrap()
            .is_none());
        assert_eq!(backend.engines.builds(), builds);
        backend.scorecard(&root, "2026-K3").unwrap();
        let page = backend
            .page_ahead(&root, "2026-K3", false)
            .unwrap()
            .unwrap();
        assert_eq!(page.min_employees, 3);
    }

    /// A key without a backend: masked at 5, judged against October 2026.
    fn plain_key(question: Question, unit: &str, period: &str) -> Key {
        Asked {
            unit: unit.to_string(),
            period: malkart::service::period(period).unwrap(),
            privacy: Privacy::masked(5),
            last_full: Month::new(2026, 10).unwrap(),
        }
        .key(question)
    }

    #[test]
    fn an_older_engines_answers_never_replace_a_newer_ones() {
        let mut kept = Kept::default();
        assert!(kept.adopt((0, 5)));
        let k = plain_key(Question::Scorecard, "1000", "2026-K3");
        kept.keep(k.clone(), Arc::new(1_u32));
        assert!(kept.adopt((0, 5)), "the same stamp keeps what is kept");
        assert_eq!(kept.find::<u32>(&k), Some(1));
        assert!(!kept.adopt((0, 4)), "an older revision is refused");
        assert_eq!(kept.find::<u32>(&k), Some(1));
        assert!(kept.adopt((0, 6)), "a newer revision starts over");
        assert_eq!(kept.find::<u32>(&k), None);
        kept.keep(k.clone(), Arc::new(2_u32));
        // Another database file (a `clear`) may start its revisions lower.
        assert!(kept.adopt((1, 1)));
        assert_eq!(kept.find::<u32>(&k), None);
    }

    #[test]
    fn at_most_keep_answers_are_kept_the_least_recently_used_dropped_first() {
        let mut kept = Kept::default();
        kept.adopt((0, 1));
        let k = |i: usize| plain_key(Question::Overview, &format!("{i}"), "2026-09");
        for i in 0..KEEP {
            kept.keep(k(i), Arc::new(i));
        }
        // 0 used again: 1 is now the least recently used.
        assert_eq!(kept.find::<usize>(&k(0)), Some(0));
        kept.keep(k(KEEP), Arc::new(KEEP));
        assert_eq!(kept.entries.len(), KEEP);
        assert_eq!(kept.find::<usize>(&k(1)), None);
        assert_eq!(kept.find::<usize>(&k(0)), Some(0));
        assert_eq!(kept.find::<usize>(&k(KEEP)), Some(KEEP));
        // Asked as another type, a kept answer is not found (never a wrong cast).
        assert_eq!(kept.find::<u32>(&k(0)), None);
    }
}
