ALTER TABLE `practices` ADD `session_idle_minutes` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `language` text DEFAULT 'en' NOT NULL;