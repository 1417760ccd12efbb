CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`practice_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled_at` integer,
	`last_login_at` integer,
	`password_changed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_staff_id_unique` ON `accounts` (`staff_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_email_unique` ON `accounts` (`email`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`practice_id` text,
	`actor_account_id` text,
	`target_staff_id` text,
	`event` text NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_practice_time_idx` ON `audit_events` (`practice_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `practices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `practices_name_unique` ON `practices` (`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_account_idx` ON `sessions` (`account_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`practice_id` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`credentials` text DEFAULT '' NOT NULL,
	`phone` text DEFAULT '' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`role` text DEFAULT 'staff' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_practice_name_idx` ON `staff` (`practice_id`,"last_name" collate nocase,"first_name" collate nocase);--> statement-breakpoint
CREATE INDEX `staff_practice_first_name_idx` ON `staff` (`practice_id`,"first_name" collate nocase);--> statement-breakpoint
CREATE TABLE `staff_emails` (
	`id` text PRIMARY KEY NOT NULL,
	`practice_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`email` text NOT NULL,
	`is_primary` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`practice_id`) REFERENCES `practices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_emails_practice_email_idx` ON `staff_emails` (`practice_id`,`email`);--> statement-breakpoint
CREATE INDEX `staff_emails_staff_idx` ON `staff_emails` (`staff_id`);