"""Messages of the Data page's confidence figures and import-from-upload (part of the one table)."""
TEXT = {"en": {
    "data.confidence": "Data confidence",
    "data.coverage": "Leads created",
    "data.coverage_value": "{first} – {last}",
    "data.rejected_share": "Rows rejected",
    "data.skipped_share": "Leads with a skipped stage",
    "data.skipped_help": "Leads that reached a stage without a recorded entry into it (the skip rule counts "
                         "it as passed, timed by the next stage). Many skips mean stage history is incomplete.",
    "data.no_touch_share": "Opportunities without a touch",
    "data.no_touch_help": "Opportunities whose lead had no marketing touch before the opportunity was created: "
                          "they credit \"(no touch)\" in attribution.",
    "data.upload": "Import an export",
    "data.upload_intro": "Upload the export folder as one .zip (CSV, Parquet or .xlsx files; at most {mb} MB). "
                         "The dashboard switches to it only when the import succeeds; otherwise the current "
                         "data stays.",
    "data.upload_file": "Export (.zip)",
    "data.upload_format": "Format",
    "data.upload_button": "Import",
    "data.upload_running": "Importing {name}…",
    "data.upload_done": "Imported: {rows} rows loaded. {rejected}. The dashboard now shows this data.",
    "data.upload_failed": "Import stopped, the current data is unchanged: {error}",
    "format.canonical": "Canonical tables",
    "format.salesforce": "Salesforce export",
    "format.hubspot": "HubSpot export",
    "format.olist": "Olist marketing funnel",
    "format.maven": "Maven CRM opportunities",
    "format.mapped": "Other CRM (mapping file in the zip)",
    "format.facebook_ads": "Canonical tables plus a Facebook ads spend export",
}}

TEXT["en"].update({
    "auth.please_log_in": "This dashboard is private. Sign in with your company account to see it.",
    "auth.log_in": "Sign in",
    "auth.log_out": "Sign out",
    "auth.signed_in": "Signed in as **{name}**",
    "auth.not_allowed": "{email} may not open this dashboard. Ask its owner to add your address or domain.",
})

# Column labels of the review pack's tables (the pages label these columns themselves).
TEXT["en"].update({
    "col.avg_4w": "4-week average",
    "col.previous": "Last week",
    "col.z": "z (vs 12 weeks)",
    "col.is_unusual": "Unusual",
    "col.from_stage": "From stage",
    "col.to_stage": "To stage",
    "col.window_days": "Window (days)",
    "col.is_immature": "Immature",
    "col.cohort_week": "Cohort week",
    "col.baseline_rate": "Baseline rate",
    "col.is_drop": "Dropped",
    "col.week": "Week",
    "col.owner": "Owner",
    "col.description": "What",
    "col.due_date": "Due",
    "col.definition": "Definition",
    "col.current": "Current",
    "col.suggested": "Suggested",
    "col.note": "Note",
    "col.conversion": "Conversion (MQL → SQL)",
    "col.acceptance": "Acceptance",
    "col.follow_up_compliance": "Follow-up SLA compliance",
    "col.median_days_through_funnel": "Median days through the funnel",
    "col.segment": "Segment",
    "col.source": "Source",
})

TEXT["en"]["table.first_rows"] = "Showing the first {shown} of {total} rows; the CSV download has them all."
