//! 一括照会: staff upload tomorrow's patient list (CSV, or the receipt computer's OQSmuquc01req XML),
//! watch the progress, read the results (有効 / 無効 / エラー with the reason), filter them and save
//! them as CSV.

use serde::Deserialize;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{Message, Text, t};
use crate::pages::consent::Notice;
use crate::pages::device_gate::{DeviceProps, call};
use crate::pages::qualification::verdict_class;
use onshi_core::codes::QualificationValidity;
use onshi_core::qualification::Verdict;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Counts {
    valid: u64,
    invalid: u64,
    superseded: u64,
    not_found: u64,
    ambiguous: u64,
    error: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Job {
    id: String,
    state: String,
    total: u64,
    done: u64,
    counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct JobBody {
    job: Job,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Summary {
    name: String,
    insurer_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Row {
    line: u64,
    reference: Option<String>,
    status_label: String,
    /// 資格有効性 (OQSCD006 code), when the row was queried.
    validity: Option<QualificationValidity>,
    message: Option<Notice>,
    column: Option<String>,
    qualification: Option<Summary>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RowsBody {
    rows: Vec<Row>,
}

impl Row {
    /// 有効 / 無効 / エラー by core's grouping; a row never queried (an input error) is エラー.
    fn verdict(&self) -> Verdict {
        self.validity.map_or(Verdict::Error, Verdict::of)
    }
}

/// The most rows a results page asks for (the service's limit).
const PAGE: u64 = 1_000;

/// Rows the table shows at a time: a 10,000-row list stays quick to draw and to read.
const SHOWN: usize = 100;

/// The 一括照会 screen.
#[function_component]
pub fn Bulk(props: &DeviceProps) -> Html {
    let lang = props.lang;
    let job = use_state(|| None::<Job>);
    let rows = use_state(Vec::<Row>::new);
    let error = use_state(|| None::<Message>);
    // `None` shows every row.
    let group = use_state(|| None::<Verdict>);
    // The first row shown, of those the filter keeps.
    let first = use_state(|| 0_usize);

    let on_file = {
        let (job, rows, error, device, first) = (
            job.clone(),
            rows.clone(),
            error.clone(),
            props.device.clone(),
            first.clone(),
        );
        Callback::from(move |e: Event| {
            first.set(0);
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (job, rows, error, device) =
                (job.clone(), rows.clone(), error.clone(), device.clone());
            wasm_bindgen_futures::spawn_local(async move {
                error.set(None);
                rows.set(Vec::new());
                let content_type = if file.name().to_lowercase().ends_with(".xml") {
                    "application/xml"
                } else {
                    "text/csv"
                };
                let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(b) => js_sys::Uint8Array::new(&b).to_vec(),
                    Err(_) => return,
                };
                let sent = device
                    .send("POST", "/v1/bulk-jobs", content_type, &bytes)
                    .await
                    .map_err(|e| e.message())
                    .and_then(|(status, body)| {
                        crate::api::Answer { status, body }
                            .json::<JobBody>()
                            .map_err(|e| e.message)
                    });
                let mut current = match sent {
                    Ok(b) => b.job,
                    Err(m) => return error.set(Some(m)),
                };
                // Progress: the job's `done` counter, until every row has its result.
                loop {
                    job.set(Some(current.clone()));
                    if current.state == "completed" {
                        break;
                    }
                    sleep(300).await;
                    match call::<JobBody>(
                        &device,
                        "GET",
                        &format!("/v1/bulk-jobs/{}", current.id),
                        None,
                    )
                    .await
                    {
                        Ok(b) => current = b.job,
                        Err(e) => return error.set(Some(e.message)),
                    }
                }
                let mut all = Vec::new();
                let mut offset = 0;
                while offset < current.total {
                    let path = format!(
                        "/v1/bulk-jobs/{}/rows?offset={offset}&limit={PAGE}",
                        current.id
                    );
                    match call::<RowsBody>(&device, "GET", &path, None).await {
                        Ok(b) if !b.rows.is_empty() => {
                            offset += b.rows.len() as u64;
                            all.extend(b.rows);
                        }
                        Ok(_) => break,
                        Err(e) => return error.set(Some(e.message)),
                    }
                }
                rows.set(all);
            });
        })
    };
    let export = {
        let (job, error, device) = (job.clone(), error.clone(), props.device.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(j) = (*job).clone() else { return };
            let (error, device) = (error.clone(), device.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/v1/bulk-jobs/{}/results.csv", j.id);
                match device.request("GET", &path, &[]).await {
                    Ok((200, body)) => download(&format!("bulk-{}.csv", j.id), &body, "text/csv"),
                    Ok((status, body)) => error.set(Some(
                        crate::api::ApiError::from_answer(status, &body).message,
                    )),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let filter_button = |g: Option<Verdict>, label: Text| {
        let (group, first) = (group.clone(), first.clone());
        html! {
            <button type="button" class="button" aria-pressed={(*group == g).to_string()}
                onclick={Callback::from(move |_| { group.set(g); first.set(0); })}>{ t(lang, label) }</button>
        }
    };
    let progress = (*job).clone().map(|j| {
        let c = &j.counts;
        html! {
            <div class="progress">
                <label for="bulk-progress">{ format!("{} {}/{}", t(lang, if j.state == "completed" { Text::BulkDone } else { Text::BulkProgress }), j.done, j.total) }</label>
                <progress id="bulk-progress" max={j.total.max(1).to_string()} value={j.done.to_string()}></progress>
                <p>{ format!("{} {} ・ {} {} ・ {} {}",
                    t(lang, Text::VerdictValid), c.valid,
                    t(lang, Text::VerdictInvalid), c.invalid + c.superseded,
                    t(lang, Text::VerdictError), c.not_found + c.ambiguous + c.error) }</p>
            </div>
        }
    });
    let visible: Vec<&Row> = rows
        .iter()
        .filter(|r| group.is_none_or(|g| r.verdict() == g))
        .collect();
    let start = (*first).min(visible.len().saturating_sub(1) / SHOWN * SHOWN);
    let end = (start + SHOWN).min(visible.len());
    let page_button = |to: Option<usize>, label: Text| {
        let first = first.clone();
        html! {
            <button type="button" class="button" disabled={to.is_none()}
                onclick={Callback::from(move |_| if let Some(to) = to { first.set(to) })}>{ t(lang, label) }</button>
        }
    };
    let pager = html! {
        <nav class="pager" aria-label={t(lang, Text::BulkPages)}>
            { page_button(start.checked_sub(SHOWN), Text::BulkPrevious) }
            <span role="status">{ format!("{}–{} / {}", if visible.is_empty() { 0 } else { start + 1 }, end, visible.len()) }</span>
            { page_button((end < visible.len()).then_some(end), Text::BulkNext) }
        </nav>
    };
    let table_rows = visible[start..end].iter().map(|r| {
        let class = verdict_class(r.verdict());
        html! {
            <tr>
                <td>{ r.line }</td>
                <td>{ r.reference.clone().unwrap_or_default() }</td>
                <td class={class}>{ &r.status_label }</td>
                <td>{ r.qualification.as_ref().map(|q| q.name.clone()).unwrap_or_default() }</td>
                <td>{ r.qualification.as_ref().and_then(|q| q.insurer_number.clone()).unwrap_or_default() }</td>
                <td>
                    { r.message.as_ref().map(|m| m.message().text(lang).to_owned()).unwrap_or_default() }
                    { r.column.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default() }
                </td>
            </tr>
        }
    });
    html! {
        <section aria-labelledby="bulk">
            <h2 id="bulk">{ t(lang, Text::BulkTitle) }</h2>
            <p>{ t(lang, Text::BulkIntro) }</p>
            <div class="field">
                <label for="bulk-file">{ t(lang, Text::BulkFile) }</label>
                <input id="bulk-file" type="file" accept=".csv,.tsv,.txt,.xml,text/csv,application/xml" onchange={on_file} />
            </div>
            if let Some(m) = &*error {
                <p class="alert" role="alert">{ m.text(lang).to_owned() }</p>
            }
            { for progress }
            if !rows.is_empty() {
                <div role="group" aria-label={t(lang, Text::VisitFilter)}>
                    { filter_button(None, Text::VisitAll) }
                    { filter_button(Some(Verdict::Valid), Text::VerdictValid) }
                    { filter_button(Some(Verdict::Invalid), Text::VerdictInvalid) }
                    { filter_button(Some(Verdict::Error), Text::VerdictError) }
                    <button type="button" class="button primary" onclick={export}>{ t(lang, Text::BulkExport) }</button>
                </div>
                <table class="bulk-results">
                    <thead><tr>
                        <th scope="col">{ t(lang, Text::BulkLine) }</th>
                        <th scope="col">{ t(lang, Text::VisitReference) }</th>
                        <th scope="col">{ t(lang, Text::VisitResult) }</th>
                        <th scope="col">{ t(lang, Text::QName) }</th>
                        <th scope="col">{ t(lang, Text::QInsurer) }</th>
                        <th scope="col">{ t(lang, Text::BulkReason) }</th>
                    </tr></thead>
                    <tbody>{ for table_rows }</tbody>
                </table>
                { pager }
            }
        </section>
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Saves `bytes` as a file through a temporary object URL.
pub fn download(name: &str, bytes: &[u8], mime: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes).into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
