CREATE TABLE `login_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `practices` ADD `sender_name` text DEFAULT '' NOT NULL;