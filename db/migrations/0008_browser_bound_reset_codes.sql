DROP INDEX `reset_code_requests_email_idx`;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `browser_hash` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `ip` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `expires_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `used_at` integer;--> statement-breakpoint
ALTER TABLE `reset_code_requests` ADD `voided_at` integer;--> statement-breakpoint
CREATE INDEX `reset_code_requests_browser_idx` ON `reset_code_requests` (`email_hash`,`browser_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `reset_code_requests_ip_idx` ON `reset_code_requests` (`ip`,`created_at`);--> statement-breakpoint
ALTER TABLE `password_reset_codes` ADD `request_id` integer REFERENCES reset_code_requests(id);--> statement-breakpoint
CREATE INDEX `password_reset_codes_request_idx` ON `password_reset_codes` (`request_id`);