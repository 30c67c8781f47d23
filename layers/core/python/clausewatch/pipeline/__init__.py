"""The pipeline steps the Lambda handlers call: each takes parsed input and does one stage.

- intake.ingest_upload        (ingest λ)         inbox object -> contract record, text job started
- textjob.complete_text_job   (textract_done λ)  job result -> stored text -> extracted terms
- record.record_extraction                        terms + obligations + deadlines into the table
- reminders.sync_reminders    (planner λ)        open deadlines -> EventBridge Scheduler schedules
- reminders.send_alert        (alert λ)          a schedule firing -> an email, or a recorded no
"""
