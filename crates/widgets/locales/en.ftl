# kapforms interface messages: English.
#
# The syntax is a subset of Project Fluent's FTL: `id = text`, a long text continued on
# indented lines (joined with one space), `{ $name }` for a value the widget fills in, and
# `#` comments. Ids start with their group: `form-` (the patient's form), `results-` (the
# clinician's view), `page-` (messages of the element itself). Every id exists in every
# shipped locale with the same placeholders; `cargo test -p kapforms-widgets` checks it, and
# the build fails on an id that names no field. See ARCHITECTURE.md, "Languages".

## The patient's form

form-submit = Submit my answers
form-total-before = Total so far:
form-total-of = of
form-error-summary-title = Some answers are missing
form-error-answer-prefix = Please answer:
form-error-required = Please choose an answer to this question.
form-yes = Yes
form-no = No
form-submitted-title = Thank you. Your answers have been submitted.
form-submitted-body = Your clinic's care team will read them and go through them with you.
form-optional = (optional)
form-next = Continue
form-back = Back
form-start = Start now
form-step = Step { $n } of { $m }
form-start-who = Your answers go to your clinic's care team, who will read them before your
    appointment and talk them through with you.
form-start-time = It takes about { $n } minutes. You can go back and change any answer before
    you submit.
form-start-time-one = It takes about a minute. You can go back and change any answer before
    you submit.
form-start-urgent = Nobody watches this form as you fill it in. If you need help urgently,
    call 911, or call or text 988 at any hour.
form-start-privacy = Your answers stay in this browser until you submit them.
form-review-title = Check your answers
form-review-intro = Read your answers. You can change any of them before you submit.
form-change = Change
form-not-answered = Not answered
form-copy-title = Your answers
form-print = Print or save a copy
form-row = { $item }: entry { $n }
form-add-row = Add another
form-remove-row = Remove
form-choose = Choose…
form-error-rows = Please fill in the required details of each entry, or remove it.
form-draft-restored = Welcome back. The answers you gave earlier on this device are here, and
    you are on the page where you left off.
form-draft-unavailable = This device cannot keep your progress, so your answers will not be
    kept if you close or reload this page. You can still fill in and submit the form as usual.
form-draft-cleared = Your answers have been cleared from this form and from this device.
form-draft-kept = Your answers are kept on this device, encrypted, until you submit or clear
    them.
form-clear-answers = Clear my answers
form-clear-confirm-title = Clear all your answers?
form-clear-confirm-body = This empties the form and removes the answers kept on this device. It
    cannot be undone.
form-clear-confirm-yes = Yes, clear my answers
form-clear-confirm-no = No, keep my answers
form-english-only = This questionnaire is available only in English.
form-crisis-title = You do not have to wait to get help
form-crisis-told = You told us you have had thoughts of being better off dead or of hurting
    yourself. Thank you for telling us. Your clinic will see this answer, but this form is not
    monitored in real time: nobody is reading it as you fill it in.
form-crisis-emergency = If you might act on these thoughts or you feel unsafe right now, call
    911 or go to the nearest emergency department.
form-crisis-lifeline = You can call or text 988, or chat at 988lifeline.org, at any hour to
    talk with someone at the 988 Suicide & Crisis Lifeline. You can also call your clinic or
    your therapist.

## The clinician's results view

results-title = Questionnaire results
results-patient-name = Patient
results-date-of-birth = Date of birth
results-patient-id = Patient ID
results-prepared = Prepared
results-responses-heading = Responses and instrument versions
results-empty = No responses loaded yet. Open response files (.json) or drop them here: they
    are read in this browser and never uploaded.
results-attention-heading = Check before relying on these results
results-banner-more = The details follow the flags. Scores and flags on this page are
    recomputed from the answers.
results-mismatch-title = Scores do not match the answers
results-mismatch-body = The scores, bands or flags stored with this response differ from what
    its answers give. This page shows the values recomputed from the answers.
results-different-title = Different definition version
results-different-body = This response was made with other content of “{ $id }” ({ $stored });
    it was re-scored with version { $used }, so recomputed values may differ for that reason.
results-unknown-title = Definition unknown
results-unknown-body = This response is for “{ $id }” version { $version }, a definition not
    known here. Its scores and flags are shown as stored and could not be checked.
results-unreadable-title = Could not be read
results-verified = Matches its answers
results-fhir-note = Read from a FHIR QuestionnaireResponse: its version was checked (FHIR
    carries no content hash) and its flags recomputed.
results-urgent-heading = Safety and exclusion flags
results-review-heading = Medical clearance and monitoring
results-info-heading = For information
results-none-raised = None raised.
results-raised-by = Answers that raised it
results-scores-tested = Scores tested
results-found = Found
results-not-available = not available: not asked, because the clinic has not supplied the licensed wording
results-rule-source = Source of the rule
results-as-stored = As stored; not checked
results-scores-heading = Scale scores
results-col-score = Score
results-col-value = Value
results-col-range = Range
results-col-band = Band
results-col-bands = Bands
results-col-check = Check
results-col-instrument = Instrument and version
results-col-status = Status
results-col-source = Source
results-col-date = Date
results-col-note = Note
results-stored-as = stored as { $stored }
results-incomplete = incomplete: { $answered } of { $counted } answered
results-prorated = prorated for missing answers
results-no-band = —
results-trends-heading = Trends
results-trend-desc = { $label } from { $from } to { $to }: { $values }.
results-trend-table = { $label } by date
results-readiness-heading = Motivation and readiness
results-gaps = Gaps
results-no-gaps = No gaps raised.
results-answers-heading = All answers
results-not-answered = Not answered
results-declined = Prefer not to say
results-of = of
results-completed = Completed
results-in-progress = In progress, not submitted
results-version = version { $version }
results-severity-safety = Safety
results-severity-exclude = Exclude pending clinician review
results-severity-clearance = Needs medical clearance
results-severity-monitor = Monitor
results-severity-info = Information

## The elements themselves (kapforms.js and the embed crate)

page-load-failed = This questionnaire could not be loaded. Please reload the page, or contact
    your clinic.
page-results-load-failed = The results could not be loaded. Please reload the page.
page-crash-title = Something went wrong with this form
page-crash-body = Your answers so far are safe in this browser. Download them and send the file
    to your clinic, or reload the page to start again.
page-crash-download = Download my answers
page-open-files = Open response files (.json)
page-drop-hint = or drop them here. Files are read in this browser and never uploaded.
page-print = Print or save as PDF
page-definition-errors-named = The questionnaire “{ $instrument }” could not be shown: its
    definition has errors.
page-unknown-instrument = There is no questionnaire called “{ $instrument }”.
page-available = Available questionnaires: { $list }.
page-definition-errors = This questionnaire could not be shown: its definition has errors.
page-invalid-options = This questionnaire could not be shown: the page gave it invalid options.
page-invalid-text-pack = This questionnaire could not be shown: the clinic's wording does not
    fit it.
page-licensed-missing = The wording of “{ $title }” is licensed, and this clinic has not
    supplied it yet.
page-licensed-missing-detail = The clinic must provide its licensed wording (a text pack) for:
    { $list }.
page-results-options = Some of what the page gave the results view could not be used.
page-results-unreadable = Some responses could not be read; the others are shown.
