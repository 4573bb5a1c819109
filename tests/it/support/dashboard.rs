//! The dashboard's loop without a terminal: messages in through `App::update`, the jobs it
//! asks for run at once on this thread and their answers applied in turn.
#![allow(dead_code)] // the draw bench includes this file too and uses some of it

use std::collections::VecDeque;
use std::sync::Arc;

use crossterm::event::KeyEvent;
use zhongdian::analysis::Analysis;
use zhongdian::tui::app::{App, Loading};
use zhongdian::tui::message::{Job, Loaded, Message};

/// Applies `message` and everything the jobs it starts answer. Returns whether a redraw
/// is due.
pub fn deliver(app: &mut App, message: Message) -> bool {
    deliver_recording(app, message, &mut Vec::new())
}

/// As [`deliver`], appending every message applied to `applied`, in order.
pub fn deliver_recording(app: &mut App, message: Message, applied: &mut Vec<Message>) -> bool {
    let mut queue = VecDeque::from([message]);
    let mut redraw = false;
    while let Some(message) = queue.pop_front() {
        applied.push(message.clone());
        let changes = app.update(message);
        redraw |= changes.redraw;
        for job in changes.jobs {
            job.run(&mut |answer| {
                queue.push_back(answer);
                true
            });
        }
    }
    redraw
}

/// Runs `jobs` on this thread, one after the other, without applying their answers:
/// the answers, in the order given.
pub fn answers_of(jobs: Vec<Job>) -> Vec<Message> {
    let mut answers = Vec::new();
    for job in jobs {
        job.run(&mut |answer| {
            answers.push(answer);
            true
        });
    }
    answers
}

pub fn key(app: &mut App, key: KeyEvent) -> bool {
    deliver(app, Message::Key(key))
}

pub fn resize(app: &mut App, width: u16, height: u16) -> bool {
    deliver(app, Message::Resize(width, height))
}

/// The corpus as it is, read.
pub fn load(app: &mut App, analysis: Arc<Analysis>) -> bool {
    deliver(app, Message::Loaded(Loaded::Current(Ok(analysis))))
}

pub fn progress(app: &mut App, loading: Loading) -> bool {
    deliver(app, Message::Progress(loading))
}
