CREATE TABLE `login_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_account_idx` ON `login_failures` (`account_id`);--> statement-breakpoint
ALTER TABLE `practices` ADD `sender_name` text DEFAULT '' NOT NULL;