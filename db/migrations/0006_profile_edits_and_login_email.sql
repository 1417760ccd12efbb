CREATE TABLE `login_email_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`account_id` text NOT NULL,
	`practice_id` text NOT NULL,
	`new_email` text NOT NULL,
	`requested_by_account_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`replaced_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `login_email_changes_account_idx` ON `login_email_changes` (`account_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `revoked_reason` text;