CREATE TABLE `ip_login_failures` (
	`ip` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `failed_logins` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_failed_login_at` integer;--> statement-breakpoint
ALTER TABLE `practices` ADD `sender_name` text DEFAULT '' NOT NULL;