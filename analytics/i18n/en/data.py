"""English messages of the data health page and what an import tells about its data."""

TEXT: dict[str, str] = {
    # data page
    "data.title": "Data health",
    "data.intro": "What the current database holds, what the import refused, and what more data "
                  "would switch on. The sidebar filters do not apply to this page.",
    "data.as_of": "As of",
    "data.version": "Data version",
    "data.imported_at": "Imported at",
    "data.folder": "Imported from",
    "data.loaded": "Tables loaded",
    "data.loaded_caption": "One row per file read at import: rows loaded and rows rejected.",
    "data.rejects": "Rejected rows",
    "data.rejects_caption": "Rows the import refused, with the file, line and column at fault. "
                            "Fix them in the export and import again.",
    "data.rejects_table": "Table",
    "data.no_rejects": "No rows were rejected at import.",
    "data.optional": "Optional tables",
    "data.all_optional": "Every optional table is loaded.",
    "data.missing_caption": "Only leads and stage_history are required. Each missing table below "
                            "would switch on more of the dashboard.",
    "data.rows_axis": "Rows",
    "data.table": "Table",
    "data.file": "File to add",
    "data.enables": "Switches on",
    "all": "All",

    # data page: confidence figures and import from upload
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
    "data.warehouse": "Read from the warehouse (its live build)",
    "data.upload_warehouse": "This dashboard reads the warehouse {path}: an upload here would not change what it "
                             "shows. Import new exports with `python -m analytics import DIR --warehouse {path}`; "
                             "every session sees the new build within a second.",
    "data.upload": "Import an export",
    "data.upload_intro": "Upload the export folder as one .zip (CSV, Parquet or .xlsx files; at most {mb} MB). "
                         "It is checked and previewed first: the dashboard everyone sees switches to it only "
                         "when you confirm, and the current data is kept so that one click restores it.",
    "data.upload_stopped": "The import of {name} stopped",
    "data.upload_checked": "Checked: {name} is ready to preview below.",
    "data.upload_waiting": "An upload is waiting for your confirmation at the bottom of this page; everyone "
                           "still sees the current data.",
    "data.preview": "Check before it goes live: {name}",
    "data.preview_not_live": "Not live yet: everyone still sees the current data until you put this upload live.",
    "data.preview_leads": "Leads",
    "data.preview_vs_current": "the current data has {n}",
    "data.preview_loaded": "Rows loaded",
    "data.preview_rejected": "Rows rejected",
    "data.preview_rejected_value": "{rows} ({share})",
    "data.preview_dates": "Leads created",
    "data.preview_as_of": "As of",
    "data.preview_as_of_help": "The latest event in the upload: the dashboard's default \"as of\" once it is live.",
    "data.preview_files": "Rows loaded and rejected per file",
    "data.preview_reasons": "Why rows were rejected",
    "data.preview_reasons_caption": "The {shown} most frequent of {total} reasons (table, column, reason). "
                                    "After going live, the Rejected rows section above lists every row.",
    "data.preview_no_rejects": "No row was rejected.",
    "data.preview_said": "What the import said",
    "data.preview_high_rejects": "{share} of the rows were rejected, more than the {limit} allowed without a "
                                 "second look ([import] confirm_reject_share in closed_loop.toml). Read the "
                                 "reasons above: figures built on this data miss those rows.",
    "data.preview_ack": "I have read the rejects",
    "data.preview_confirm": "Put live for everyone",
    "data.preview_cancel": "Discard this upload",
    "data.preview_cancelled": "Upload discarded: the data stays as it was.",
    "data.preview_gone": "The upload waiting here was confirmed or discarded in another tab.",
    "data.toast_live": "Live for everyone now",
    "data.toast_restored": "The previous data is live again",
    "data.toast_discarded": "Discarded",
    "data.previous": "Previous data",
    "data.previous_caption": "Kept when the current data replaced it: imported {imported} from {source}; "
                             "{leads} leads created {first} – {last}; as of {as_of}; {share} of its rows rejected.",
    "data.previous_button": "Restore the data imported {imported}",
    "data.previous_help": "Everyone sees the previous data again; the current data is kept in its place, so "
                          "restoring again brings it back.",
    "data.previous_none": "No previous data is kept yet: the first upload you put live keeps the current data here.",
    "data.restored": "Restored the data imported {imported}. The data it replaced is kept: restore again to "
                     "bring it back.",
    "col.rejected_rate": "Share rejected",
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

    # what an import tells about its data: rejected rows, lead sources, repairs and caveats
    "data.rejected_rows": "Rows rejected: {rows}",
    "data.rejected_rows_reasons": "Rows rejected: {rows} ({reasons} reasons: a row can be refused for several, "
                                  "and the rejects table lists each reason)",
    "data.sources": "Lead sources",
    "data.sources_caption": "Every source label the leads carry, with its leads and whether it counts as "
                            "marketing-sourced: it matches a label of [sources] marketing in closed_loop.toml "
                            "ignoring case, spaces, _ and - (directly or through [sources.aliases]). Any other "
                            "source, and no source, is sales-sourced.",
    "col.marketing_label": "Counted as",
    "col.is_marketing": "Marketing-sourced",
    "filter.default_moved": "No lead was created in the {days} days up to the data's as-of ({as_of}), so the "
                            "period starts as the {days} days up to the last lead created: {start} – {end}.",
    "data.repairs": "What the import repaired",
    "data.repairs_caption": "Deals are never dropped for their dates: the rules below (docs/metrics.md) repair "
                            "them, and money in a currency without an exchange rate is never added to another.",
    "note.deals_expected_close": "{n} open deals carry a close date: it is their expected close, not an event, "
                                 "and never moves the data's as-of.",
    "note.deals_future_close": "{n} closed deals have a close date after the export's last recorded event: "
                               "each is taken as closed at its closing stage change, or at that last event "
                               "({ids}).",
    "note.deals_closed_before_created": "{n} deals closed before they were created (entered in the CRM after "
                                        "they closed): kept, and taken as created when they closed ({ids}).",
    "note.money_converted": "Amounts converted to {corporate} with the exchange rates: {currencies} deals.",
    "note.money_unconverted": "No exchange rate to {corporate} for {currencies} deals: their amounts stay in "
                              "their own currency, never added to others; choose the currency in the sidebar. "
                              "Add exchange_rates.csv (currency, valid_from, rate) to convert them.",
    "note.money_campaign_costs": "Campaign costs in {currencies} have no exchange rate to {corporate}: their "
                                 "ROI is empty unless revenue is shown in that currency.",
    "note.olist_declared_revenue": "Amounts here are not deal values: in the Olist export (\"{file}\") the "
                                   "amount is the seller's declared monthly revenue, declared on {declared} of "
                                   "{deals} won deals. Won amounts, pipeline and ROI add up those declarations.",
    "reject.required": "required value missing",
    "reject.not_valid": "not a valid {kind}",
    "reject.kind.text": "text",
    "reject.kind.timestamp": "timestamp",
    "reject.kind.date": "date",
    "reject.kind.number": "number",
    "reject.kind.integer": "integer",
    "reject.out_of_years": "{kind} outside the years {first}–{last}",
    "reject.not_whole": "not a whole number",
    "reject.exact_duplicate": "exact duplicate of an earlier row",
    "reject.duplicate_different": "duplicate {column} with different content",
    "reject.fields": "expected {expected} fields, found {found}",
    "reject.not_date": "not a date",
    "reject.date_unreadable": "unreadable date/time format (expected e.g. {example})",
    "reject.no_month": "not a calendar date: there is no month {month}",
    "reject.no_day": "not a calendar date: {month_name} {year} has {days} days, no {day_ordinal}",
    "reject.no_time": "not a time of day: {time}",
    "reject.value_ignored": "{reason} (value ignored)",
    "reject.score_range": "score outside the configured range",
    "reject.unknown_lead": "unknown lead_id (not in leads)",
    "reject.unknown_stage": "unknown stage",
    "reject.entered_before_created": "stage entered before the lead was created",
    "reject.negative_cost": "negative cost",
    "reject.end_before_start": "end_date before start_date",
    "reject.status": "status must be open, won or lost",
    "reject.negative_amount": "negative amount",
    "reject.closed_without_date": "won or lost opportunity without closed_at",
    "reject.verdict": "verdict must be accepted or rejected",
    "reject.rating": "rating must be 1 to 5",
    "reject.probability": "probability must be 0 to 100",
    "reject.unknown_opportunity": "unknown opportunity_id (not in opportunities)",
    "reject.target_metric": "unknown target metric",
    "reject.period_end_before_start": "period_end before period_start",
    "reject.currency_code": "currency must be a three-letter ISO code",
    "reject.rate_positive": "rate must be positive",
    "reject.second_rate": "a second rate for the same currency and day",
    "reject.hubspot_duplicate": "duplicate Record ID (the first row is kept)",
    "reject.sf_duplicate_lead": "duplicate lead Id",
    "reject.sf_duplicate_opportunity": "duplicate opportunity Id",
    "reject.sf_boolean": "not a boolean (0/1 or true/false)",
    "reject.sf_positive": "not a positive number",
    "reject.sf_opportunity_not_in_file": "opportunity not in Opportunity.csv",
    "reject.sf_opportunity_not_in_export": "opportunity not in the export",
    "reject.sf_datetime": "not a Salesforce date/time (YYYY-MM-DD HH:MM:SS or ISO 8601)",
    "reject.sf_unknown_lead": "unknown lead (not in Lead.csv)",
    "reject.sf_unknown_lead_contact": "unknown lead (not in Lead.csv, and not a contact converted from a lead or"
                                      " with an opportunity)",
    "reject.sf_not_linked": "not linked to a known lead, a contact in the funnel or an opportunity",
    "reject.sf_status_unmapped": "lead status not mapped to a stage: add it under [salesforce.lead_status]"
                                 " in a mapping file (--mapping)",
    "col.reason_text": "Reason",
    "reject.fmt.month": "%B",  # a month's name in a reason (strftime)
    "reject.fmt.day": "%o",  # a day in a reason: %o the importer's ordinal (30th), %d its number
}
