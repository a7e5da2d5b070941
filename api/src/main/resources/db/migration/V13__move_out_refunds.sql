-- Refunds of an early move-out (the paid nights given up, under the booking's cancellation policy)
-- are stored next to cancellation refunds, told apart by their reason.
ALTER TABLE refund DROP CONSTRAINT refund_reason_check;
ALTER TABLE refund ADD CONSTRAINT refund_reason_check CHECK (reason IN ('CANCELLATION', 'MOVE_OUT'));
